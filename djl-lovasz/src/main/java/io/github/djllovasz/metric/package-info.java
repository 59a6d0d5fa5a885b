/**
 * Measuring segmentation: {@link io.github.djllovasz.metric.SegmentationCounts}, the plain,
 * mergeable and serializable counts (confusion matrix and per-image intersections and unions);
 * {@link io.github.djllovasz.metric.SegmentationReport}, every figure of them (IoU, Dice,
 * precision, recall, per image, per class, worst q %) under an {@link
 * io.github.djllovasz.metric.EmptyPolicy}; and the DJL evaluators over them, {@link
 * io.github.djllovasz.metric.MeanIoU} and {@link io.github.djllovasz.metric.MeanDice}.
 */
package io.github.djllovasz.metric;
