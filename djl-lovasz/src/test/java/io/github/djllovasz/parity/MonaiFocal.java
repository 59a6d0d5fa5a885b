package io.github.djllovasz.parity;

import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.training.loss.Loss;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.djllovasz.SegmentationBinaryCrossEntropyLoss;
import io.github.djllovasz.SegmentationCrossEntropyLoss;

/**
 * MONAI's {@code FocalLoss} arguments mapped onto the cross-entropy partners: {@code
 * use_softmax=True, to_onehot_y=True, gamma, weight} onto {@link SegmentationCrossEntropyLoss}
 * (MONAI's value is ours / C, see {@link MonaiParityTest}), {@code use_softmax=False, gamma,
 * alpha} onto {@link SegmentationBinaryCrossEntropyLoss}.
 */
final class MonaiFocal {

    private MonaiFocal() {}

    static Loss loss(Fixture.Case c, boolean multilabel) {
        JsonObject p = c.params();
        double gamma = p.get("gamma").getAsDouble();
        if (multilabel) {
            MonaiParityTest.requireParams(c, "use_softmax", "gamma", "alpha");
            assertFalse(p.get("use_softmax").getAsBoolean(), c.name() + ": multilabel targets take a sigmoid");
            SegmentationBinaryCrossEntropyLoss.Builder b = SegmentationBinaryCrossEntropyLoss.builder().optGamma(gamma);
            if (!p.get("alpha").isJsonNull()) {
                b.optAlpha(p.get("alpha").getAsDouble());
            }
            return b.build();
        }
        MonaiParityTest.requireParams(c, "use_softmax", "to_onehot_y", "gamma", "weight");
        MonaiParityTest.requireTrue(c, "use_softmax", "to_onehot_y");
        SegmentationCrossEntropyLoss.Builder b = SegmentationCrossEntropyLoss.builder().optGamma(gamma);
        JsonElement weight = p.get("weight");
        if (!weight.isJsonNull()) {
            JsonArray w = weight.getAsJsonArray();
            double[] weights = new double[w.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = w.get(i).getAsDouble();
            }
            b.optClassWeights(weights);
        }
        return b.build();
    }
}
