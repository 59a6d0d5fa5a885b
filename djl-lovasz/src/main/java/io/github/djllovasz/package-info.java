/**
 * The segmentation losses for DJL: the Lovász-Softmax and Lovász-hinge losses (Berman, Rannen
 * Triki, Blaschko, CVPR 2018), the Jaccard metric, Dice semimetric and Tversky losses for hard and
 * soft labels (Wang and Blaschko, 2023), and the cross-entropy partners they are combined with.
 *
 * <ul>
 *   <li>The losses: {@link io.github.djllovasz.LovaszSoftmaxLoss}, {@link
 *       io.github.djllovasz.LovaszHingeLoss}, {@link io.github.djllovasz.LovaszMultilabelLoss},
 *       {@link io.github.djllovasz.TverskyLoss} ({@code jaccard()}, {@code dice()}, {@code
 *       tversky(α, β)}); the partners {@link io.github.djllovasz.SegmentationCrossEntropyLoss} and
 *       {@link io.github.djllovasz.SegmentationBinaryCrossEntropyLoss}; {@link
 *       io.github.djllovasz.WeightedLoss} and {@link io.github.djllovasz.EpochSwitchLoss} to
 *       combine them. {@link io.github.djllovasz.SegmentationLosses} makes the defaults and the
 *       recipes.
 *   <li>{@link io.github.djllovasz.InputContract}: what every loss and metric expects of its
 *       inputs (class axis, ignore index, logits or probabilities, soft labels, label smoothing,
 *       keep mask), set by the shared builder setters of {@link
 *       io.github.djllovasz.SettingsBuilder}, {@link io.github.djllovasz.ClassAxisBuilder} and
 *       {@link io.github.djllovasz.SoftLabelBuilder} ({@code setX} required, {@code optX}
 *       optional), and the checks a loss of your own can call.
 *   <li>{@link io.github.djllovasz.EvaluateOnceLoss}: the losses' base, which makes DJL's training
 *       loop evaluate a loss once per step instead of twice.
 *   <li>{@link io.github.djllovasz.Lovasz}: the original's functions, for composing your own;
 *       {@link io.github.djllovasz.SoftTargets}: label smoothing; {@link
 *       io.github.djllovasz.ClassSelection}: which classes a Lovász loss averages over.
 * </ul>
 *
 * <p>How the Lovász losses are computed is in one package-private class, {@code LovaszKernel}
 * (the Jaccard family in {@code TverskyKernel}): read it first.
 */
package io.github.djllovasz;
