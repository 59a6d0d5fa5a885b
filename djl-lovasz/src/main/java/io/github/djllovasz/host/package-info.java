/**
 * The host a training process runs on: {@link io.github.djllovasz.host.CpuInfo} reads the CPU,
 * and {@link io.github.djllovasz.host.OneDnnGuard} caps oneDNN at AVX2 where its AVX-512
 * convolution kernels give non-finite gradients (AMD CPUs with AVX-512), by starting the process
 * with {@code ONEDNN_MAX_CPU_ISA=AVX2}.
 */
package io.github.djllovasz.host;
