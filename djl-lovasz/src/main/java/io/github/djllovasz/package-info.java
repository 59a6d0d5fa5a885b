/**
 * The Lovász-Softmax and Lovász-hinge losses (Berman, Rannen Triki, Blaschko, CVPR 2018) for DJL,
 * and the losses they are combined with.
 *
 * <ul>
 *   <li>The losses: {@link io.github.djllovasz.LovaszSoftmaxLoss}, {@link
 *       io.github.djllovasz.LovaszHingeLoss}, {@link io.github.djllovasz.LovaszMultilabelLoss};
 *       their partners {@link io.github.djllovasz.SegmentationCrossEntropyLoss} and {@link
 *       io.github.djllovasz.SegmentationBinaryCrossEntropyLoss}; {@link
 *       io.github.djllovasz.WeightedLoss} and {@link io.github.djllovasz.EpochSwitchLoss} to
 *       combine them. Each has a builder ({@code setX} required, {@code optX} optional); {@link
 *       io.github.djllovasz.SegmentationLosses} makes the defaults and the recipes.
 *   <li>{@link io.github.djllovasz.EvaluateOnceLoss}: their base, which makes DJL's training loop
 *       evaluate a loss once per step instead of twice.
 *   <li>{@link io.github.djllovasz.Lovasz}: the original's functions, for composing your own.
 *   <li>{@link io.github.djllovasz.SegmentationInputs}: the input checks they all apply.
 * </ul>
 *
 * <p>How the losses are computed is in one package-private class, {@code LovaszKernel}: read it
 * first.
 */
package io.github.djllovasz;
