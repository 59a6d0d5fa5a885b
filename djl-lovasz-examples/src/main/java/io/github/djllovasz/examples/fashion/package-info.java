/**
 * The main job, {@link io.github.djllovasz.examples.fashion.FashionSegmentation}: scenes of 2–4
 * Fashion-MNIST items on a 64 × 64 canvas (11 classes with background), segmented by a small
 * fully-convolutional network trained five ways with the same seed, data and budget, using the
 * library's losses: cross-entropy (CE), Lovász-Softmax, CE → Lovász (Lovász for the last epochs),
 * CE + λ·Lovász, and label-smoothed CE + Jaccard metric loss. The library's {@code MeanIoU}
 * measures each on held-out scenes: per-class IoU, mIoU^D (dataset), mIoU^I (per image), mIoU^C
 * (per class), the mIoU^I of the worst 10 % of scenes, and pixel accuracy, with step and wall time.
 * It prints a line per epoch and the table, and writes {@code miou_per_epoch.png}, {@code
 * test_scenes.png} and {@code results.md}; a recipe stopped by a non-finite loss or gradient gets a
 * line starting with {@code !!} and the others are tabled.
 */
package io.github.djllovasz.examples.fashion;
