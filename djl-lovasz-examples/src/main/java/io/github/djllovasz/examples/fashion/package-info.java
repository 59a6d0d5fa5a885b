/**
 * The main job: Fashion-MNIST scenes segmented by a small fully-convolutional network, trained
 * five ways (cross-entropy, Lovász-Softmax, CE then Lovász, CE + λ·Lovász, label-smoothed CE +
 * Jaccard metric loss) with the library's
 * losses and measured with its {@code MeanIoU}: {@link
 * io.github.djllovasz.examples.fashion.FashionSegmentation}.
 */
package io.github.djllovasz.examples.fashion;
