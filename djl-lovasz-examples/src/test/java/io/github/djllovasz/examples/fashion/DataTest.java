package io.github.djllovasz.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.djllovasz.examples.fashion.IdxFiles.Images;
import io.github.djllovasz.examples.fashion.SceneComposer.Scenes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class DataTest {

    @Test
    void idxRoundTripThroughGzip() throws IOException {
        byte[] pixels = {0, 1, 2, (byte) 200, (byte) 255, 7, 8, 9};
        Images images = new Images(2, 2, 2, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IdxFiles.writeImagesGz(images, out);
        Images back = IdxFiles.readImages(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(2, back.count());
        assertArrayEquals(pixels, back.pixels());
        assertEquals(200, back.pixel(0, 1, 1));
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        IdxFiles.writeLabelsGz(new byte[] {3, 9}, labels);
        assertArrayEquals(new byte[] {3, 9},
                IdxFiles.readLabels(new ByteArrayInputStream(labels.toByteArray())));
    }

    @Test
    void embeddedSubsetIsBalancedFashionMnist() throws IOException {
        FashionMnist data = FashionMnist.embedded();
        assertEquals(4000, data.train().count());
        assertEquals(1000, data.test().count());
        assertEquals(28, data.train().rows());
        int[] perClass = new int[10];
        for (byte label : data.trainLabels()) {
            perClass[label]++;
        }
        for (int count : perClass) {
            assertEquals(400, count);
        }
        assertTrue(data.description().startsWith("embedded subset"));
    }

    @Test
    void scenesAreDeterministicAndLabelsMatchVisiblePixels() throws IOException {
        FashionMnist data = FashionMnist.embedded();
        SceneComposer noiseless = new SceneComposer(64, 2, 4, 0f);
        Scenes a = noiseless.compose(data.test(), data.testLabels(), 20, 5);
        Scenes b = noiseless.compose(data.test(), data.testLabels(), 20, 5);
        assertArrayEquals(a.labels(), b.labels());
        assertArrayEquals(a.images(), b.images());
        int items = 0;
        for (int i = 0; i < a.labels().length; i++) {
            int label = a.labels()[i];
            assertTrue(label >= 0 && label < SceneComposer.CLASSES);
            // labelled exactly where an item is visible: intensity above the threshold
            assertEquals(label > 0, a.images()[i] > SceneComposer.VISIBLE_THRESHOLD / 255f);
            items += label > 0 ? 1 : 0;
        }
        double foreground = (double) items / a.labels().length;
        assertTrue(foreground > 0.1 && foreground < 0.5, "foreground fraction " + foreground);
        Scenes other = noiseless.compose(data.test(), data.testLabels(), 20, 6);
        assertTrue(!java.util.Arrays.equals(a.labels(), other.labels()));
    }
}
