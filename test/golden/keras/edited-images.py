# overfit-lab, "Copy as Keras": the experiment "bn-edited" as the page ran it,
# on fashion-mnist, with seed 42.
# TensorFlow 2.x with tf.keras; the page follows Keras 2 semantics (TF <= 2.15, or TF >= 2.16 with
# `pip install tf-keras` and TF_USE_LEGACY_KERAS=1). Needs numpy and matplotlib.
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, optimizers, regularizers
from tensorflow.keras.datasets import fashion_mnist

# The seed fixes this script's initial weights, shuffles and dropout masks. TensorFlow draws them
# from other random streams than the page, so the curves agree with the page's in distribution,
# not digit for digit.
SEED = 42

# 28x28 grey-level images (clothing), labels 0-9.
(x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
# The page used the first 10000 training and 2000 test images.
x_train, y_train = x_train[:10000], y_train[:10000]
x_test, y_test = x_test[:2000], y_test[:2000]
x_train, x_test = x_train / 255.0, x_test / 255.0

# Model 'bn'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_bn = tf.keras.Sequential([
    layers.Flatten(input_shape=(28, 28)),
    layers.Dense(256, kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.BatchNormalization(momentum=0.9, epsilon=1e-05),
    layers.Activation('relu'),
    layers.Dense(64, activation='linear', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.BatchNormalization(momentum=0.99, epsilon=0.001),
    layers.Activation('relu'),
    layers.Dropout(0.25),
    layers.Dense(10, kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.Activation('softmax'),
])
model_bn.compile(
    optimizer=optimizers.Adam(learning_rate=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='sparse_categorical_crossentropy',
    metrics=['accuracy', 'sparse_categorical_crossentropy'])
model_bn.summary()
history_bn = model_bn.fit(x_train, y_train, batch_size=500, epochs=5, validation_data=(x_test, y_test), verbose=2)
scores_bn = model_bn.evaluate(x_test, y_test, batch_size=500, verbose=0)
print('scores_bn:', scores_bn[-1])  # [loss, accuracy, sparse_categorical_crossentropy]: the lab prints the last

# Model 'basic'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_basic = tf.keras.Sequential([
    layers.Flatten(input_shape=(28, 28)),
    layers.Dense(128, kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.Activation('relu'),
    layers.Dense(128, kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.Dense(10, activation='softmax', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_basic.compile(
    optimizer=optimizers.Adam(learning_rate=0.002, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='sparse_categorical_crossentropy',
    metrics=['accuracy', 'sparse_categorical_crossentropy'])
model_basic.summary()
history_basic = model_basic.fit(x_train, y_train, batch_size=500, epochs=5, validation_data=(x_test, y_test), verbose=2)
scores_basic = model_basic.evaluate(x_test, y_test, batch_size=500, verbose=0)
print('scores_basic:', scores_basic[-1])  # [loss, accuracy, sparse_categorical_crossentropy]: the lab prints the last


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


plot_history([('bn', history_bn), ('basic', history_basic)])
