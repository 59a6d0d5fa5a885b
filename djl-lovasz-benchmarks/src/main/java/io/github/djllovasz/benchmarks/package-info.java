/**
 * JMH benchmarks of the library's Lovász losses against the sort they cannot avoid (the floor), a
 * hand-written loop in the original's structure and cross-entropy, as a table or a scaling series
 * ({@link io.github.djllovasz.benchmarks.BenchmarkMain}), and where a call spends its time, by
 * stage, under PyTorch's profiler ({@link io.github.djllovasz.benchmarks.StageProfile}).
 */
package io.github.djllovasz.benchmarks;
