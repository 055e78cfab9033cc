# overfit-lab, "Copy as Keras": the experiment "my \"edited\"\nlab" as the page ran it,
# on imdb, with seed 7.
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
SEED = 7

# IMDB reviews as word indices, the 100 most frequent words only (Keras shuffles each split with
# seed 113; the page's data keep that order).
NUM_WORDS = 100
(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=NUM_WORDS)
# The page used the first 5000 training reviews.
x_train, y_train = x_train[:5000], y_train[:5000]


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
    layers.Dense(64, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', input_shape=(100,)),
    layers.Dense(32, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_basic.compile(
    optimizer=optimizers.Adam(learning_rate=0.0005, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='binary_crossentropy',
    metrics=['accuracy', 'binary_crossentropy'])
model_basic.summary()
history_basic = model_basic.fit(x_train, y_train, batch_size=250, epochs=20, validation_data=(x_test, y_test), verbose=2, callbacks=[tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, min_delta=0.001, restore_best_weights=True)])
scores_basic = model_basic.evaluate(x_test, y_test, batch_size=250, verbose=0)
print('scores_basic:', scores_basic[-1])  # [loss, accuracy, binary_crossentropy]: the lab prints the last

# Model 'wide l2 + dropout 0.5 \'v2\''
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_wide_l2_dropout_0_5_v2 = tf.keras.Sequential([
    layers.Dense(512, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', kernel_regularizer=regularizers.l2(0.01), input_shape=(100,)),
    layers.Dropout(0.5),
    layers.Dense(256, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', kernel_regularizer=regularizers.l1_l2(l1=1e-05, l2=0.01), name='hidden_2'),
    layers.Dropout(0.5, name='drop_b'),
    layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_wide_l2_dropout_0_5_v2.compile(
    optimizer=optimizers.Adam(learning_rate=0.0005, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='binary_crossentropy',
    metrics=['accuracy', 'binary_crossentropy'])
model_wide_l2_dropout_0_5_v2.summary()
history_wide_l2_dropout_0_5_v2 = model_wide_l2_dropout_0_5_v2.fit(x_train, y_train, batch_size=250, epochs=40, validation_data=(x_test, y_test), verbose=2, callbacks=[tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, min_delta=0.001, restore_best_weights=True)])
scores_wide_l2_dropout_0_5_v2 = model_wide_l2_dropout_0_5_v2.evaluate(x_test, y_test, batch_size=250, verbose=0)
print('scores_wide l2 + dropout 0.5 \'v2\':', scores_wide_l2_dropout_0_5_v2[-1])  # [loss, accuracy, binary_crossentropy]: the lab prints the last

# Model '모델 3'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_3 = tf.keras.Sequential([
    layers.Dense(100, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', kernel_regularizer=regularizers.l1(0.0001), input_shape=(100,)),
    layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_3.compile(
    optimizer=optimizers.Adam(learning_rate=0.0005, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='binary_crossentropy',
    metrics=['accuracy', 'binary_crossentropy'])
model_3.summary()
history_3 = model_3.fit(x_train, y_train, batch_size=250, epochs=10, validation_data=(x_test, y_test), verbose=2, callbacks=[tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, min_delta=0.001, restore_best_weights=True)])
scores_3 = model_3.evaluate(x_test, y_test, batch_size=250, verbose=0)
print('scores_모델 3:', scores_3[-1])  # [loss, accuracy, binary_crossentropy]: the lab prints the last

# Model 'wide_l2_dropout_0_5_v2'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_wide_l2_dropout_0_5_v2_2 = tf.keras.Sequential([
    layers.Dense(16, activation='relu', kernel_initializer='glorot_uniform', bias_initializer='zeros', input_shape=(100,)),
    layers.Dense(1, activation='sigmoid', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_wide_l2_dropout_0_5_v2_2.compile(
    optimizer=optimizers.Adam(learning_rate=0.0005, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='binary_crossentropy',
    metrics=['accuracy', 'binary_crossentropy'])
model_wide_l2_dropout_0_5_v2_2.summary()
history_wide_l2_dropout_0_5_v2_2 = model_wide_l2_dropout_0_5_v2_2.fit(x_train, y_train, batch_size=250, epochs=5, validation_data=(x_test, y_test), verbose=2, callbacks=[tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, min_delta=0.001, restore_best_weights=True)])
scores_wide_l2_dropout_0_5_v2_2 = model_wide_l2_dropout_0_5_v2_2.evaluate(x_test, y_test, batch_size=250, verbose=0)
print('scores_wide_l2_dropout_0_5_v2:', scores_wide_l2_dropout_0_5_v2_2[-1])  # [loss, accuracy, binary_crossentropy]: the lab prints the last


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


plot_history([('basic', history_basic), ('wide l2 + dropout 0.5 \'v2\'', history_wide_l2_dropout_0_5_v2), ('모델 3', history_3), ('wide_l2_dropout_0_5_v2', history_wide_l2_dropout_0_5_v2_2)])
