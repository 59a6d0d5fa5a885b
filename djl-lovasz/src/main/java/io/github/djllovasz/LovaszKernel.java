package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djllovasz.EngineQuirks.Scratch;

/**
 * The Lovász losses in one place: start reading here.
 *
 * <p>Every variant (softmax, sigmoid, hinge, multilabel; pooled or per image) is the same five
 * steps, and only steps 1 and 2 differ:
 *
 * <ol>
 *   <li><b>Check</b> the inputs ({@link SegmentationInputs}): shapes, types, labels, with messages
 *       that name the offending shape or value. An empty batch (B = 0) gives 0 here.
 *   <li><b>Rows</b> ({@link SoftmaxRows}, {@link HingeRows}): one row per class (per image × class
 *       with {@code perImage}; per image or pooled for the hinge) of values {@code v} (class
 *       probabilities or logits), ground truth {@code g ∈ {0, 1}} and validity, with the row's
 *       coefficient in the final sum. Rows that cannot contribute (classes outside the selection,
 *       absent classes with PRESENT) are left out before anything is sorted.
 *   <li><b>Sort</b> ({@link #loss}): the errors are {@code e = (1 − 2g)·v + b} with {@code b = g}
 *       ({@code |g − p|}) or {@code b = 1} (hinge {@code 1 − s·(2g − 1)}); one {@code argSort}
 *       of every row at once orders them decreasingly, and {@code take} on flat indices permutes
 *       values, ground truth and validity (no {@code gather}: MXNet lacks it).
 *   <li><b>Weights</b> ({@link #jaccardWeights}): the paper's Algorithm 1, the gradient of the
 *       Lovász extension of the Jaccard loss at the sorted errors.
 *   <li><b>Loss</b>: {@code L_r = Σ_k w_k·f(e_(k))} with {@code f} the identity (softmax) or
 *       relu (hinge), then {@code loss = Σ_r coefficient_r · L_r}.
 * </ol>
 *
 * <p>The sort permutation and the weights are constants to autograd; gradients flow through the
 * values only. Since the errors are linear in the values, {@code L_r} is computed as {@code Σ_k
 * (w_k·a_k)·v_(k) + Σ_k w_k·b_k} with {@code a = 1 − 2g} (times {@code [e > 0]} for the hinge):
 * autograd sees one {@code take} of the values and one dot product per row.
 */
final class LovaszKernel {

    /** Largest row length whose counts float32 holds exactly. */
    static final long FLOAT32_EXACT_COUNT = 1L << 24;

    private LovaszKernel() {}

    /**
     * Lovász-Softmax (Lovász-sigmoid for C = 1).
     *
     * @param labels class ids
     * @param predictions logits or probabilities with a class axis
     * @param options the loss's settings
     * @return the scalar loss, attached to the predictions' manager
     */
    static NDArray softmax(NDArray labels, NDArray predictions, LovaszOptions options) {
        return Scoped.compute(
                () -> {
                    NDArray widened = EngineQuirks.widen(predictions);
                    if (SegmentationInputs.isEmptyBatch(widened)) {
                        SegmentationInputs.requireClassAxisShapes(
                                labels, widened, options.classAxis, "predictions");
                        return SegmentationInputs.zeroLoss(widened);
                    }
                    return loss(SoftmaxRows.build(labels, widened, options));
                },
                predictions,
                labels);
    }

    /**
     * Lovász hinge.
     *
     * @param labels 0/1 labels
     * @param logits the logits
     * @param options the loss's settings ({@code perImage}, {@code ignoreIndex})
     * @return the scalar loss, attached to the logits' manager
     */
    static NDArray hinge(NDArray labels, NDArray logits, LovaszOptions options) {
        return Scoped.compute(
                () -> {
                    NDArray widened = EngineQuirks.widen(logits);
                    if (SegmentationInputs.isEmptyBatch(widened)) {
                        SegmentationInputs.requireBinaryShapes(labels, widened, "logits");
                        return SegmentationInputs.zeroLoss(widened);
                    }
                    return loss(HingeRows.build(labels, widened, options));
                },
                logits,
                labels);
    }

    /**
     * Steps 3 to 5: sorts every row once and returns {@code Σ_r coefficient_r · L_r}.
     *
     * @param rows the rows
     * @return the scalar loss, differentiable through the rows' values
     */
    static NDArray loss(Rows rows) {
        NDArray values = rows.values;
        NDManager manager = values.getManager();
        long numRows = values.getShape().get(0);
        long length = values.getShape().get(1);
        DataType valueType = values.getDataType();
        DataType countType = countType(valueType, length);

        // Step 3. Sort keys: the negated errors −e = −((1 − 2g)·v + b), detached; ascending keys
        // are descending errors (a descending argSort would cost a flip copy).
        NDArray keys =
                errors(rows.errors, rows.foreground, values.stopGradient(), valueType).neg().get();
        // The permutation becomes a flat index into the [R, N] arrays: row r's indices + r·N.
        NDArray rowStarts =
                manager.arange(0, Math.toIntExact(numRows), 1, DataType.INT64)
                        .mul(length)
                        .reshape(numRows, 1);
        NDArray flat =
                EngineQuirks.scratch(keys.argSort(1, true).toType(DataType.INT64, false))
                        .add(rowStarts)
                        .get();
        keys.close();
        NDArray sortedValues = values.take(flat);
        NDArray sortedForeground = rows.foreground.take(flat);
        NDArray sortedValid = null;
        if (rows.valid != null) {
            sortedValid = rows.valid.take(flat);
            sortedForeground = sortedForeground.logicalAnd(sortedValid);
        }
        flat.close();

        // Step 4.
        NDArray weights = jaccardWeights(sortedForeground, sortedValid, countType);

        // Step 5. L_r = Σ_k w_k·f(e_(k)) = Σ_k (w_k·a_k)·v_(k) + Σ_k w_k·b_k: the same errors,
        // now in the sorted order; for the hinge, a and b are 0 where e ≤ 0 (relu).
        NDArray g = sortedForeground.toType(countType, true);
        NDArray constant;
        NDArray slope;
        if (rows.errors == Rows.Errors.ABSOLUTE) {
            constant = rowDot(weights, g); // b = g
            slope = EngineQuirks.scratch(g).mul(-2).add(1).get(); // a = 1 − 2g, in g's buffer
        } else {
            slope = EngineQuirks.scratch(g).mul(-2).add(1).get();
            NDArray v = sortedValues.stopGradient();
            NDArray e = slope.mul(v.getDataType() == countType ? v : v.toType(countType, false)).add(1);
            NDArray active = e.gt(0).toType(countType, false);
            constant = rowDot(weights, active); // b = 1 where active
            slope = EngineQuirks.scratch(slope).mul(active).get();
        }
        NDArray gradient = EngineQuirks.scratch(weights).mul(slope).get();
        if (countType != valueType) {
            gradient = gradient.toType(valueType, false);
            constant = constant.toType(valueType, false);
        }
        NDArray rowLosses = rowDot(sortedValues, gradient).add(constant);
        NDArray coefficients =
                EngineQuirks.copyDoubles(manager, rows.coefficients).toType(valueType, false);
        return rowLosses.mul(coefficients).sum();
    }

    /**
     * The errors {@code e = (1 − 2g)·v + b} of rows, detached: the one definition of the errors.
     *
     * @param kind {@code b = g} (absolute) or {@code b = 1} (hinge, before the relu)
     * @param foreground boolean ground truth g
     * @param values detached values v
     * @param type the type of the result
     * @return a scratch chain holding the errors (a fresh array)
     */
    private static Scratch errors(Rows.Errors kind, NDArray foreground, NDArray values, DataType type) {
        NDArray g = foreground.toType(type, true);
        Scratch e = EngineQuirks.scratch(g.mul(-2)).add(1).mul(values); // (1 − 2g)·v
        return kind == Rows.Errors.ABSOLUTE ? e.add(g) : e.add(1);
    }

    /** {@code Σ_k a[r, k]·b[r, k]} for every row: one batched matrix product. */
    private static NDArray rowDot(NDArray a, NDArray b) {
        long rows = a.getShape().get(0);
        long length = a.getShape().get(1);
        return a.reshape(rows, 1, length).matMul(b.reshape(rows, length, 1)).reshape(rows);
    }

    /**
     * Step 4, the paper's Algorithm 1 (the original's {@code lovasz_grad}) for rows of ground
     * truth sorted by decreasing error, ignored pixels included:
     *
     * <pre>
     *   intersection_k = |F| − f_k             f_k = Σ_{j≤k} g_j     (foreground among the top k)
     *   union_k        = |F| + n_k − f_k       n_k = Σ_{j≤k} v_j     (counted pixels among the top k)
     *   J_k = 1 − intersection_k / union_k = n_k / union_k           (J = 0 while union = 0)
     *   w_k = J_k − J_{k−1},  J_0 = 0
     * </pre>
     *
     * <p>With no ignored pixel {@code v = 1} and {@code n_k = k}, which is the original's {@code
     * 1 − (gts − cumsum(g)) / (gts + cumsum(1 − g))}. An ignored pixel ({@code g = v = 0})
     * changes no count, so its weight is exactly 0 wherever the sort put it. {@code J_{k−1}} comes
     * from the counts before pixel k ({@code n_k − v_k}, {@code union_k − v_k + g_k}) instead of a
     * shifted copy of {@code J}. Counts are exact integers: float32 below 2^24 pixels per row,
     * float64 beyond. The chains below update their arrays in place where the engine allows
     * ({@link EngineQuirks#scratch}).
     *
     * @param sortedForeground boolean or 0/1 {@code [R, N]}; 0 where {@code sortedValid} is 0
     * @param sortedValid boolean or 0/1 {@code [R, N]}, or {@code null} when no pixel is ignored
     * @param countType FLOAT32 or FLOAT64, the type of counts and weights
     * @return the weights {@code w [R, N]} in the count type
     */
    static NDArray jaccardWeights(NDArray sortedForeground, NDArray sortedValid, DataType countType) {
        NDManager manager = sortedForeground.getManager();
        int length = Math.toIntExact(sortedForeground.getShape().get(1));
        NDArray g = sortedForeground.toType(countType, true);
        NDArray v = sortedValid == null ? null : sortedValid.toType(countType, true);
        NDArray f = g.cumSum(1);
        NDArray foreground = f.get(new NDIndex(":, " + (length - 1) + ":")).duplicate(); // |F|
        NDArray n = v == null ? positions(manager, length, countType) : v.cumSum(1);
        NDArray union = EngineQuirks.scratch(f).neg().add(foreground).add(n).get(); // |F| + n − f
        NDArray previousCount;
        NDArray previousUnion;
        if (v == null) {
            // n_k = k ≥ 1, so union_k ≥ 1. union_{k−1} is 0 only at k = 1 of a row without
            // foreground, where n_0 = 0 too: a divisor of 1 there keeps J_0 = 0 (the indicator
            // is one small [N] row, broadcast).
            previousCount = n.sub(1);
            NDArray first = previousCount.eq(0).toType(countType, false);
            previousUnion = EngineQuirks.scratch(g).add(union).sub(1).add(first).get();
        } else {
            previousUnion = EngineQuirks.scratch(g).add(union).sub(v).get().maximum(1);
            previousCount = EngineQuirks.scratch(v).neg().add(n).get(); // n − v, in v's buffer
            // union = 0 only while n = 0 (nothing counted yet), where J = 0: any divisor ≥ 1 will do.
            union = union.maximum(1);
        }
        NDArray jaccard = n.div(union);
        return EngineQuirks.scratch(jaccard).sub(previousCount.div(previousUnion)).get();
    }

    /**
     * The positions {@code 1, 2, ..., length}, exact at any length (DJL's {@code arange} goes
     * through float32 and skips values beyond 2^24).
     */
    private static NDArray positions(NDManager manager, int length, DataType type) {
        if (length < FLOAT32_EXACT_COUNT) {
            return manager.arange(1, length + 1, 1, type);
        }
        return manager.ones(new Shape(length), type).cumSum(0);
    }

    /**
     * The float type in which counts of a row of the given length are exact.
     *
     * @param errorType the type of the errors
     * @param length the row length N
     * @return FLOAT64 for float64 errors or rows of 2^24 pixels or more, else FLOAT32
     */
    static DataType countType(DataType errorType, long length) {
        return errorType == DataType.FLOAT64 || length >= FLOAT32_EXACT_COUNT
                ? DataType.FLOAT64
                : DataType.FLOAT32;
    }
}
