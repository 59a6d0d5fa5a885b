/**
 * Measuring segmentation: {@link io.github.djllovasz.metric.MeanIoU}, a DJL {@code Evaluator}
 * (exact confusion matrix per accumulator key, mIoU over the present classes, per-class IoU,
 * pixel accuracy; binary models with one logit per pixel), and its {@link
 * io.github.djllovasz.metric.ConfusionMatrix}.
 */
package io.github.djllovasz.metric;
