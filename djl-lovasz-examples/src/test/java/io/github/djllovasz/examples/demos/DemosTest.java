package io.github.djllovasz.examples.demos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DemosTest {

    @Test
    void triangleFillIncludesEdges() {
        int[] image = new int[10 * 10];
        Triangles.fill(image, 0, 10, new int[] {0, 9, 0}, new int[] {0, 0, 9}, 1);
        int filled = 0;
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                assertEquals(x + y <= 9 ? 1 : 0, image[y * 10 + x], "pixel " + x + "," + y);
                filled += image[y * 10 + x];
            }
        }
        assertEquals(55, filled);
    }

    @Test
    void laterTrianglesCoverEarlierOnesAndSeedsRepeat() {
        int[] a = Triangles.draw(3, 50, new Random(18), 0, 255, 1);
        int[] b = Triangles.draw(3, 50, new Random(18), 0, 255, 1);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        for (int label : a) {
            assertTrue(label == 0 || label == 1 || label == 255);
        }
    }

    @Test
    void binaryDemoStartsNearTheOriginalAndTrainsTheBias() {
        BinaryDemo.Result result = BinaryDemo.run(10, quiet());
        // the original: 12.5-13.25 % at b = 0
        assertTrue(result.startPerImage() > 9 && result.startPerImage() < 17,
                "start " + result.startPerImage());
        assertTrue(result.startPooled() > 9 && result.startPooled() < 17);
        assertEquals(3, result.runs().size());
        for (BinaryDemo.Run run : result.runs()) {
            assertTrue(Double.isFinite(run.iou()) && run.iou() >= 0 && run.iou() <= 100);
            assertNotEquals(0f, run.bias(), run.name() + " moved b");
        }
        // BCE pushes b down (background is the majority): fewer foreground predictions
        assertTrue(result.runs().get(2).bias() < 0, "BCE b " + result.runs().get(2).bias());
    }

    @Test
    void multiclassDemoStartsNearTheOriginal() {
        MulticlassDemo.Result result = MulticlassDemo.run(5, quiet());
        // the original: 19.81 % at the start
        assertTrue(result.start().meanIou() > 12 && result.start().meanIou() < 28,
                "start " + result.start().meanIou());
        for (MulticlassDemo.Run run : result.runs()) {
            assertTrue(Double.isFinite(run.meanIou()));
            assertTrue(run.meanIou() > result.start().meanIou(), run.name() + " improves mIoU");
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
