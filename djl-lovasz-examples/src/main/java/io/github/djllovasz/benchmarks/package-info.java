/**
 * JMH benchmarks of the losses against the sort they cannot avoid, a hand-written loop in the
 * original's structure and cross-entropy: {@link io.github.djllovasz.benchmarks.BenchmarkMain}.
 */
package io.github.djllovasz.benchmarks;
