/**
 * DJL training-loop helpers: {@link io.github.djllovasz.training.FiniteGradientCheck}, a training
 * listener that stops at the first non-finite loss or gradient, before the optimizer applies it,
 * and says what most likely caused it on this host.
 */
package io.github.djllovasz.training;
