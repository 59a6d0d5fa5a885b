package io.github.djllovasz;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
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
 *       absent classes with PRESENT) are left out before anything is sorted. For the engine
 *       kernel the rows are engine arrays {@code [R, N]} ({@link Rows}); for the host kernel they
 *       are read in place from the values and the class ids ({@link HostRows}), and the same host
 *       pass checks the labels and finds the present classes ({@link LabelCounts}).
 *   <li><b>Sort</b> ({@link #loss}): the errors are {@code e = (1 − 2g)·v + b} with {@code b = g}
 *       ({@code |g − p|}) or {@code b = 1} (hinge {@code 1 − s·(2g − 1)}); ignored pixels get
 *       {@code −∞}, so they sort last. Each row is ordered decreasingly, by one of two kernels
 *       ({@link Kernel}): on the engine ({@link #engineSorted}: one sort of every row at once,
 *       {@link EngineQuirks#sortDecreasing}, and one {@code take} on flat indices brings the
 *       ground truth into that order; no {@code gather}, MXNet lacks it), or on the host ({@link
 *       HostKernel}: a linear {@link RadixSort} in Java of keys that carry the pixel and its
 *       ground truth).
 *   <li><b>Weights</b> ({@link #jaccardWeights}, or its host twin {@code HostKernel.Job#weights}
 *       in the same pass that writes the slopes): the paper's Algorithm 1, the gradient of the
 *       Lovász extension of the Jaccard loss at the sorted errors.
 *   <li><b>Loss</b>: {@code L_r = Σ_k w_k·f(e_(k))} with {@code f} the identity (softmax) or
 *       relu (hinge), then {@code loss = Σ_r coefficient_r · L_r} ({@link #loss}); the host kernel
 *       folds the coefficients into the slopes, so its step 5 is one dot product over all values
 *       ({@link #hostLoss}).
 * </ol>
 *
 * <p>The sort permutation and the weights are constants to autograd; gradients flow through the
 * values only. Since the errors are linear in the values, {@code L_r} is computed as {@code Σ_k
 * (w_k·a_k)·v_(k) + Σ_k w_k·b_k} with {@code a = 1 − 2g} (times {@code [e > 0]} for the hinge):
 * autograd sees one dot product per row ({@link #rowDot}), of the values and their slopes in
 * pixel order (engine kernel on PyTorch), or both in sorted order (engine kernel on MXNet: {@link
 * EngineQuirks#alignForDot}); with the host kernel, one dot product of all the values, in their
 * own layout, with their slopes.
 */
final class LovaszKernel {

    /** Largest row length whose counts float32 holds exactly. */
    static final long FLOAT32_EXACT_COUNT = 1L << 24;

    private LovaszKernel() {}

    /**
     * Lovász-Softmax (Lovász-sigmoid for C = 1).
     *
     * @param labels class ids, and optionally a keep mask ({@link InputContract})
     * @param predictions logits or probabilities with a class axis
     * @param options the loss's settings
     * @return the scalar loss, attached to the predictions' manager
     */
    static NDArray softmax(NDList labels, NDArray predictions, LovaszOptions options) {
        return run(labels, predictions, options, SoftmaxRows::loss,
                (ids, p, o) -> SegmentationInputs.requireClassAxisShapes(ids, p, o.classAxis(), "predictions"));
    }

    /**
     * Lovász hinge.
     *
     * @param labels 0/1 labels, and optionally a keep mask ({@link InputContract})
     * @param logits the logits
     * @param options the loss's settings ({@code perImage}, {@code ignoreIndex})
     * @return the scalar loss, attached to the logits' manager
     */
    static NDArray hinge(NDList labels, NDArray logits, LovaszOptions options) {
        return run(labels, logits, options, HingeRows::loss,
                (ids, p, o) -> SegmentationInputs.requireBinaryShapes(ids, p, "logits"));
    }

    /**
     * Steps 1 to 5 of one variant for widened predictions: its rows, built for the kernel that
     * runs ({@link Kernel#resolve}), scored by {@link #loss} or {@link #hostLoss}.
     */
    private interface Variant {
        NDArray loss(NDArray labels, NDArray predictions, LovaszOptions options);
    }

    /** Step 1 for an empty batch, where no rows are built: the shape checks alone. */
    private interface ShapeCheck {
        void check(NDArray labels, NDArray predictions, LovaszOptions options);
    }

    /**
     * Steps 1 to 5 in a scope that closes every intermediate: a keep mask's dropped pixels become
     * ignored ones, half precision is widened, an empty batch gives 0, the rest is sorted.
     */
    private static NDArray run(
            NDList labels, NDArray predictions, LovaszOptions options, Variant variant, ShapeCheck shapes) {
        return Scoped.compute(
                () -> {
                    InputContract.requireLabelCount(labels);
                    NDArray ids = labels.get(0);
                    LovaszOptions o = options;
                    if (labels.size() == 2) {
                        ids = options.input.maskedClassIds(labels);
                        o = options.with(options.input.maskedAsIgnored());
                    }
                    NDArray widened = EngineQuirks.widen(predictions);
                    if (SegmentationInputs.isEmptyBatch(widened)) {
                        shapes.check(ids, widened, o);
                        return SegmentationInputs.zeroLoss(widened);
                    }
                    return variant.loss(ids, widened, o);
                },
                predictions,
                labels);
    }

    /**
     * Steps 3 to 5 on the engine ({@link Kernel#ENGINE}): sorts every row once and returns {@code
     * Σ_r coefficient_r · L_r}.
     *
     * @param rows the rows
     * @return the scalar loss, differentiable through the rows' values
     */
    static NDArray loss(Rows rows) {
        NDArray values = rows.values;
        NDManager manager = values.getManager();
        DataType valueType = values.getDataType();
        Linear linear = engineSorted(rows);

        // Step 5. L_r = Σ_k w_k·f(e_(k)) = Σ_k slope_k·v_(k) + constant_r; only the values carry
        // a gradient.
        NDArray rowLosses = rowDot(linear.operands[0], linear.operands[1]).add(linear.constants);
        NDArray coefficients =
                EngineQuirks.copyDoubles(manager, rows.coefficients).toType(valueType, false);
        return rowLosses.mul(coefficients).sum();
    }

    /**
     * Steps 3 to 5 on the host ({@link Kernel#HOST}): {@link HostKernel} sorts every row and
     * returns the slope of every value, already times its row's coefficient, and the constant;
     * step 5 is then one dot product over the values as they are, {@code loss = Σ_i slope_i·v_i +
     * constant}.
     *
     * @param rows the rows, read in place
     * @return the scalar loss, differentiable through the values
     */
    static NDArray hostLoss(HostRows rows) {
        NDArray values = rows.values;
        HostKernel.Slopes slopes = HostKernel.slopes(rows);
        NDArray constant = EngineQuirks.copyDoubles(values.getManager(), new double[] {slopes.constant})
                .toType(values.getDataType(), false);
        return values.reshape(-1).matMul(slopes.factors.reshape(-1)).add(constant).sum();
    }

    /**
     * Each row's loss as a linear function of its values, {@code L_r = Σ_k operands[0][r, k] ·
     * operands[1][r, k] + constants[r]}: the values and their slopes {@code w·a}, both in pixel
     * order or both in sorted order.
     */
    private static final class Linear {
        final NDArray[] operands;
        final NDArray constants;

        Linear(NDArray[] operands, NDArray constants) {
            this.operands = operands;
            this.constants = constants;
        }
    }

    /**
     * Steps 3 and 4 on the engine ({@link Kernel#ENGINE}).
     *
     * @param rows the rows
     * @return each row's loss as a linear function of its values
     */
    private static Linear engineSorted(Rows rows) {
        NDArray values = rows.values;
        NDManager manager = values.getManager();
        long length = values.getShape().get(1);
        DataType valueType = values.getDataType();
        DataType countType = countType(valueType, length);

        // Step 3. The errors, detached, ignored pixels at −∞ so that they sort after every
        // counted pixel; one sort of every row at once, decreasing.
        NDArray errors = errors(rows.errorKind, rows.foreground, values.stopGradient(), valueType);
        if (rows.valid != null) {
            NDArray minusInfinity =
                    manager.create(Double.NEGATIVE_INFINITY).toType(valueType, false);
            errors = NDArrays.where(rows.valid, errors, minusInfinity);
        }
        EngineQuirks.Order order = EngineQuirks.sortDecreasing(errors);
        errors.close();

        // Step 4. The ground truth in sorted order (a take of booleans is cheaper than one of
        // floats); the ignored pixels, last, have g = 0.
        NDArray g = rows.foreground.take(order.flatIndex).toType(countType, false);
        NDArray weights = jaccardWeights(g);

        // With e = a·v + b: a = 1 − 2g and b = g (absolute), or b = 1 (hinge), both 0 where
        // e ≤ 0 (relu); slopes w·a, constant Σ_k w_k·b_k.
        NDArray constant;
        Scratch slope;
        if (rows.errorKind == Rows.Errors.ABSOLUTE) {
            constant = rowDot(weights, g);
            slope = EngineQuirks.scratch(g).mul(-2).add(1);
        } else {
            NDArray active = order.sortedErrors.gt(0).toType(countType, false);
            constant = rowDot(weights, active);
            slope = EngineQuirks.scratch(g).mul(-2).add(1).mul(active);
        }
        NDArray factors = EngineQuirks.scratch(weights).mul(slope.get()).get();
        if (countType != valueType) {
            factors = factors.toType(valueType, false);
            constant = constant.toType(valueType, false);
        }
        return new Linear(EngineQuirks.alignForDot(values, order, factors), constant);
    }

    /**
     * The errors {@code e = (1 − 2g)·v + b} of rows, detached: the one definition of the errors.
     *
     * @param kind {@code b = g} (absolute) or {@code b = 1} (hinge, before the relu)
     * @param foreground boolean ground truth g
     * @param values detached values v
     * @param type the type of the result
     * @return the errors (a fresh array)
     */
    private static NDArray errors(Rows.Errors kind, NDArray foreground, NDArray values, DataType type) {
        NDArray g = foreground.toType(type, false);
        Scratch e = EngineQuirks.scratch(g.mul(-2)).add(1).mul(values); // (1 − 2g)·v
        return (kind == Rows.Errors.ABSOLUTE ? e.add(g) : e.add(1)).get();
    }

    /** {@code Σ_k a[r, k]·b[r, k]} for every row: one batched matrix product. */
    static NDArray rowDot(NDArray a, NDArray b) {
        long rows = a.getShape().get(0);
        long length = a.getShape().get(1);
        return a.reshape(rows, 1, length).matMul(b.reshape(rows, length, 1)).reshape(rows);
    }

    /**
     * Step 4, the paper's Algorithm 1 (the original's {@code lovasz_grad}) for rows of ground
     * truth sorted by decreasing error:
     *
     * <pre>
     *   intersection_k = |F| − f_k             f_k = Σ_{j≤k} g_j     (foreground among the top k)
     *   union_k        = |F| + k − f_k
     *   J_k = 1 − intersection_k / union_k = k / union_k
     *   w_k = J_k − J_{k−1},  J_0 = 0
     * </pre>
     *
     * <p>This is the original's {@code 1 − (gts − cumsum(g)) / (gts + cumsum(1 − g))}. Ignored
     * pixels need no term of their own: they were sorted last (error −∞) with {@code g = 0}, and
     * once the top k hold every counted pixel (k ≥ M of them), {@code f_k = |F|} and {@code J_k =
     * k / k = 1} exactly, so their weights are exactly 0 (a row with no counted pixel at all must
     * be left out by its builder: it would put weight 1 on its first pixel). {@code union_k ≥ k ≥
     * 1}. Counts are exact integers: float32 below 2^24 pixels per row, float64 beyond. The
     * chains below update their arrays in place where the engine allows ({@link
     * EngineQuirks#scratch}).
     *
     * @param sortedForeground 0/1 {@code [R, N]} in the count type
     * @return the weights {@code w [R, N]} in the count type
     */
    static NDArray jaccardWeights(NDArray sortedForeground) {
        NDManager manager = sortedForeground.getManager();
        DataType countType = sortedForeground.getDataType();
        int length = Math.toIntExact(sortedForeground.getShape().get(1));
        NDArray f = sortedForeground.cumSum(1);
        NDArray foreground = f.get(new NDIndex(":, " + (length - 1) + ":")).duplicate(); // |F|
        NDArray k = positions(manager, length, countType);
        NDArray union = EngineQuirks.scratch(f).neg().add(foreground).add(k).get(); // |F| + k − f
        NDArray jaccard = k.div(union);
        return EngineQuirks.differences(jaccard, union);
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
