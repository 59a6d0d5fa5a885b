/**
 * Runnable examples of the library in DJL's own training loop; they define no loss or metric of
 * their own. {@link io.github.djllovasz.examples.QuickStart} is the smallest use: Lovász-Softmax on
 * synthetic scenes, test mIoU before and after. The main job is in {@code fashion}, the original's
 * two demos in {@code demos}; {@link io.github.djllovasz.examples.EpochMetrics} reads what DJL
 * recorded per epoch for both. The benchmarks are a module of their own, {@code
 * djl-lovasz-benchmarks}.
 */
package io.github.djllovasz.examples;
