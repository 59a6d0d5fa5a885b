/**
 * Reproductions of the original's two notebooks: {@link
 * io.github.djllovasz.examples.demos.BinaryDemo} and {@link
 * io.github.djllovasz.examples.demos.MulticlassDemo}.
 */
package io.github.djllovasz.examples.demos;
