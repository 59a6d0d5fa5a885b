package io.github.djllovasz.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * IoU per image, accumulated over batches, for the finer measures of {@link MeanIoU}: with
 * {@code IoU_{b,c} = |T_{b,c} ∩ P_{b,c}| / |T_{b,c} ∪ P_{b,c}|} for every class c that appears in
 * image b (in its counted ground truth or prediction, {@code union > 0}),
 *
 * <pre>
 *   mIoU^I_b = mean of IoU_{b,c} over the classes appearing in image b
 *   mIoU^I   = mean of mIoU^I_b over the images in which some class appears
 *   mIoU^C   = mean over the classes appearing in some image of (mean of IoU_{b,c} over the images b where c appears)
 *   worst q % mIoU^I = mean of the ⌈q·N / 100⌉ smallest mIoU^I_b, N the images in mIoU^I
 * </pre>
 *
 * <p>Each is NaN when no image has a counted pixel. Instances are safe to share between threads.
 */
final class ImageIoU {

    private final int numClasses;
    private final List<Double> imageMeans = new ArrayList<>();
    private final double[] classSums;
    private final long[] classImages;

    ImageIoU(int numClasses) {
        this.numClasses = numClasses;
        this.classSums = new double[numClasses];
        this.classImages = new long[numClasses];
    }

    /**
     * Adds the images of one batch.
     *
     * @param counts the batch's counts
     */
    synchronized void add(BatchCounts counts) {
        int images = counts.unions.length / numClasses;
        for (int b = 0; b < images; b++) {
            double sum = 0;
            int appearing = 0;
            for (int c = 0; c < numClasses; c++) {
                long union = counts.unions[b * numClasses + c];
                if (union > 0) {
                    double iou = (double) counts.intersections[b * numClasses + c] / union;
                    sum += iou;
                    appearing++;
                    classSums[c] += iou;
                    classImages[c]++;
                }
            }
            if (appearing > 0) {
                imageMeans.add(sum / appearing);
            }
        }
    }

    /** Forgets every image. */
    synchronized void reset() {
        imageMeans.clear();
        Arrays.fill(classSums, 0);
        Arrays.fill(classImages, 0);
    }

    /** @return mIoU^I, NaN without images */
    synchronized double meanOverImages() {
        return mean(imageMeans);
    }

    /** @return mIoU^C, NaN without images */
    synchronized double meanOverClasses() {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < numClasses; c++) {
            if (classImages[c] > 0) {
                sum += classSums[c] / classImages[c];
                classes++;
            }
        }
        return classes > 0 ? sum / classes : Double.NaN;
    }

    /**
     * Returns the mean mIoU^I_b of the worst images.
     *
     * @param percent q in (0, 100]
     * @return the mean of the ⌈q·N/100⌉ smallest mIoU^I_b, NaN without images
     */
    synchronized double worstImages(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("the worst-images share must lie in (0, 100] %, got " + percent);
        }
        if (imageMeans.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(imageMeans);
        sorted.sort(null);
        int n = Math.max(1, (int) Math.ceil(percent * sorted.size() / 100 - 1e-9));
        return mean(sorted.subList(0, Math.min(n, sorted.size())));
    }

    /** @return mIoU^I_b of every image so far, in the order counted */
    synchronized double[] perImage() {
        return imageMeans.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double mean(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.size();
    }
}
