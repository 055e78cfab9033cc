# overfit-lab, "Copy as Keras": the experiment "batchnorm" as the page ran it,
# on mnist, with seed 1.
# TensorFlow 2.x with tf.keras; the page follows Keras 2 semantics (TF <= 2.15, or TF >= 2.16 with
# `pip install tf-keras` and TF_USE_LEGACY_KERAS=1). Needs numpy and matplotlib.
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, optimizers, regularizers
from tensorflow.keras.datasets import mnist

# The seed fixes this script's initial weights, shuffles and dropout masks. TensorFlow draws them
# from other random streams than the page, so the curves agree with the page's in distribution,
# not digit for digit.
SEED = 1

# 28x28 grey-level images (digits), labels 0-9.
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0

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
    optimizer=optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='sparse_categorical_crossentropy',
    metrics=['accuracy', 'sparse_categorical_crossentropy'])
model_basic.summary()
history_basic = model_basic.fit(x_train, y_train, batch_size=500, epochs=20, validation_data=(x_test, y_test), verbose=2)
scores_basic = model_basic.evaluate(x_test, y_test, batch_size=500, verbose=0)
print('scores_basic:', scores_basic[-1])  # [loss, accuracy, sparse_categorical_crossentropy]: the lab prints the last

# Model 'batchnorm'
tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page
model_batchnorm = tf.keras.Sequential([
    layers.Flatten(input_shape=(28, 28)),
    layers.Dense(128, kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.BatchNormalization(momentum=0.99, epsilon=0.001),
    layers.Activation('relu'),
    layers.Dense(128, kernel_initializer='glorot_uniform', bias_initializer='zeros'),
    layers.BatchNormalization(momentum=0.99, epsilon=0.001),
    layers.Dense(10, activation='softmax', kernel_initializer='glorot_uniform', bias_initializer='zeros'),
])
model_batchnorm.compile(
    optimizer=optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07),
    loss='sparse_categorical_crossentropy',
    metrics=['accuracy', 'sparse_categorical_crossentropy'])
model_batchnorm.summary()
history_batchnorm = model_batchnorm.fit(x_train, y_train, batch_size=500, epochs=20, validation_data=(x_test, y_test), verbose=2)
scores_batchnorm = model_batchnorm.evaluate(x_test, y_test, batch_size=500, verbose=0)
print('scores_batchnorm:', scores_batchnorm[-1])  # [loss, accuracy, sparse_categorical_crossentropy]: the lab prints the last


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


plot_history([('basic', history_basic), ('batchnorm', history_batchnorm)])
