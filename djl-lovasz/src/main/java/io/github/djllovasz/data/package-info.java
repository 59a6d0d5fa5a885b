/**
 * Batching for the Lovász losses: {@link io.github.djllovasz.data.ClassBalancedSampler}, a DJL
 * {@code Sampler} whose batches (and, on several devices, each device's chunk) cover as many
 * classes as possible, the original's "equibatch".
 */
package io.github.djllovasz.data;
