package io.github.djllovasz.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import io.github.djllovasz.LovaszHingeLoss;
import io.github.djllovasz.LovaszSoftmaxLoss;
import io.github.djllovasz.testutil.LiveArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Many forward + backward calls keep native memory (resident set) and the live NDArray count
 * flat. CI runs 2,000 calls; the full soak is
 * {@code mvn test -pl djl-lovasz -Dtest=SoakTest -Dlovasz.soak.calls=100000}.
 */
class SoakTest {

    @Test
    void residentMemoryAndLiveArraysStayFlat() throws IOException {
        int calls = Integer.getInteger("lovasz.soak.calls", 2000);
        int warmup = Math.max(200, calls / 10);
        LovaszSoftmaxLoss softmax = ReliabilityFixtures.softmax(true);
        LovaszHingeLoss hinge = ReliabilityFixtures.hinge(false);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = ReliabilityFixtures.logits(manager, 21, 4, 6, 48, 48).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray labels = ReliabilityFixtures.labels(manager, 22, 6, 4, 48, 48);
            NDArray binaryLogits = ReliabilityFixtures.logits(manager, 23, 4, 48, 48).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray binary = ReliabilityFixtures.labels(manager, 24, 2, 4, 48, 48);
            logits.setRequiresGradient(true);
            binaryLogits.setRequiresGradient(true);
            long rssStart = 0;
            int liveStart = 0;
            for (int i = 0; i < calls; i++) {
                if (i == warmup) {
                    rssStart = residentKb();
                    liveStart = LiveArrays.count(manager);
                }
                try (NDManager step = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray a = softmax.evaluate(labels, logits);
                    a.attach(step);
                    // evaluate (not compute): the path DJL's Trainer takes, which remembers the
                    // value for updateAccumulators; closed values must not pile up.
                    NDArray b = hinge.evaluate(new NDList(binary), new NDList(binaryLogits));
                    b.attach(step);
                    collector.backward(a.add(b));
                }
            }
            long rssEnd = residentKb();
            int liveEnd = LiveArrays.count(manager);
            System.out.printf(
                    "soak[%s]: %d calls, resident %d kB -> %d kB (%+.2f %%), live arrays %d -> %d%n",
                    Engine.getInstance().getEngineName().toLowerCase(),
                    calls,
                    rssStart,
                    rssEnd,
                    100.0 * (rssEnd - rssStart) / rssStart,
                    liveStart,
                    liveEnd);
            assertEquals(liveStart, liveEnd, "live NDArrays");
            assertTrue(rssEnd < rssStart * 1.05, "resident memory grew from " + rssStart + " kB to " + rssEnd + " kB");
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
