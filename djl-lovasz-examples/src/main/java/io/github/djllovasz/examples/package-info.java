/** The smallest use of the library in DJL's training loop: {@link io.github.djllovasz.examples.QuickStart}. */
package io.github.djllovasz.examples;
