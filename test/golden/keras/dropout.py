# overfit-lab, "Copy as Keras": the experiment "dropout" as the page ran it,
# on imdb, with seed 1.
# TensorFlow 2.x with tf.keras; the page follows Keras 2 semantics (TF <= 2.15, or TF >= 2.16 with
# `pip install tf-keras` and TF_USE_LEGACY_KERAS=1). Needs numpy and matplotlib.
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, optimizers, regularizers
from tensorflow.keras.datasets import imdb

# The seed fixes this script's initial weights, shuffles and dropout masks. TensorFlow draws them
# from other random streams than the page, so the curves agree with the page's in distribution,
# not digit for digit.
SEED = 1

# IMDB reviews as word indices, the 100 most frequent words only (Keras shuffles each split with
# seed 113; the page's data keep that order).
NUM_WORDS = 100
(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=NUM_WORDS)


def multi_hot_sequences(sequences, dimension):
    # One row per review: 1.0 in the column of every word index it contains.
    results = np.zeros((len(sequences), dimension))
    for i, word_indices in enumerate(sequences):
        results[i, word_indices] = 1.0
    return results


x_train = multi_hot_sequences(x_train, dimension=NUM_WORDS)
x_test = multi_hot_sequences(x_test, dimension=NUM_WORDS)
# Labels as a column, the shape of the one-unit output (Keras 3 requires it for the
# binary_crossentropy metric; Keras 2 takes either).
y_train = y_train.reshape(-1, 1).astype('float32')
y_test = y_test.reshape(-1, 1).astype('float32')

# Model 'basic'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_basic = tf.keras.Sequential([
    layers.Dense(128, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', input_shape=(100,)),
    layers.Dense(128, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_basic.compile(
    optimizer=optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='binary_crossentropy',
    metrics=['accuracy', 'binary_crossentropy'])
model_basic.summary()
history_basic = model_basic.fit(x_train, y_train, batch_size=500, epochs=20, validation_data=(x_test, y_test), verbose=2)
scores_basic = model_basic.evaluate(x_test, y_test, batch_size=500, verbose=0)
print('scores_basic:', scores_basic[-1])  # [loss, accuracy, binary_crossentropy]: the lab prints the last

# Model 'dropout'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_dropout = tf.keras.Sequential([
    layers.Dense(128, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', input_shape=(100,)),
    layers.Dropout(0.3),
    layers.Dense(128, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.Dropout(0.3),
    layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_dropout.compile(
    optimizer=optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='binary_crossentropy',
    metrics=['accuracy', 'binary_crossentropy'])
model_dropout.summary()
history_dropout = model_dropout.fit(x_train, y_train, batch_size=500, epochs=20, validation_data=(x_test, y_test), verbose=2)
scores_dropout = model_dropout.evaluate(x_test, y_test, batch_size=500, verbose=0)
print('scores_dropout:', scores_dropout[-1])  # [loss, accuracy, binary_crossentropy]: the lab prints the last


def plot_history(histories):
    # The page's loss chart: each model's pure cross-entropy, train solid, validation dashed.
    plt.figure(figsize=(16, 10))
    for name, history in histories:
        key = next(k for k in history.history if k.endswith('crossentropy') and not k.startswith('val_'))
        epochs = [e + 1 for e in history.epoch]
        train = plt.plot(epochs, history.history[key], label=name + ' train')
        plt.plot(epochs, history.history['val_' + key], '--', color=train[0].get_color(), label=name + ' validation')
    plt.xlabel('Epochs')
    plt.ylabel('Cross-entropy')
    plt.legend()
    plt.show()


plot_history([('basic', history_basic), ('dropout', history_dropout)])
