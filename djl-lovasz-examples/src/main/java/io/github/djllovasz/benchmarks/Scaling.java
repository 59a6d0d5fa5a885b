package io.github.djllovasz.benchmarks;

import java.util.List;

/** The fitted exponent of a power law: the least-squares slope of log(time) over log(P). */
public final class Scaling {

    private Scaling() {}

    /**
     * Fits {@code log t = a + s·log P} by least squares.
     *
     * @param points pairs {@code {P, t}}, at least two with distinct P, every value positive
     * @return the slope s (1 for linear cost; P log P gives slightly above 1)
     */
    public static double slope(List<double[]> points) {
        if (points.size() < 2) {
            throw new IllegalArgumentException("a slope needs at least two points");
        }
        double sumX = 0;
        double sumY = 0;
        for (double[] p : points) {
            sumX += Math.log(p[0]);
            sumY += Math.log(p[1]);
        }
        double meanX = sumX / points.size();
        double meanY = sumY / points.size();
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            double dx = Math.log(p[0]) - meanX;
            sxy += dx * (Math.log(p[1]) - meanY);
            sxx += dx * dx;
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("a slope needs two distinct pixel counts");
        }
        return sxy / sxx;
    }
}
