package io.github.djllovasz.examples.fashion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/**
 * A small fully-convolutional segmentation network built from DJL blocks: a full-resolution stem,
 * a context branch that sees a whole item (two stride-2 convolutions, then dilated convolutions at
 * 1/4 resolution, upsampled back), the two concatenated, and a 3 × 3 + 1 × 1 head giving one logit
 * per class and pixel.
 *
 * <pre>
 * stem    conv3x3(w)                       H x W
 * skip    identity                         H x W, w channels
 * context conv3x3/2(2w) conv3x3/2(4w)      H/4 x W/4
 *         conv3x3 dil 2(4w) conv3x3 dil 4(4w) conv1x1(w) upsample x4
 * head    concat(2w) conv3x3(w) conv1x1(classes)
 * </pre>
 *
 * <p>Every convolution but the last is followed by batch norm and ReLU. The receptive field of the
 * context branch (about 60 pixels) covers a 28-pixel item with its surroundings.
 */
public final class SegmentationNet {

    private SegmentationNet() {}

    /**
     * Builds the network.
     *
     * @param classes the number of output channels
     * @param width the base width w (channels of the stem)
     * @return the block: input {@code [B, 1, H, W]} (H, W divisible by 4), output {@code [B,
     *     classes, H, W]}
     */
    public static Block build(int classes, int width) {
        SequentialBlock context = new SequentialBlock()
                .add(convBnRelu(2 * width, 3, 2, 1))
                .add(convBnRelu(4 * width, 3, 2, 1))
                .add(convBnRelu(4 * width, 3, 1, 2))
                .add(convBnRelu(4 * width, 3, 1, 4))
                .add(convBnRelu(width, 1, 1, 1))
                .add(LambdaBlock.singleton(x -> upsample(x, 4), "upsample4"));
        ParallelBlock fuse = new ParallelBlock(
                SegmentationNet::concatChannels,
                List.of(LambdaBlock.singleton(x -> x, "skip"), context));
        return new SequentialBlock()
                .add(convBnRelu(width, 3, 1, 1))
                .add(fuse)
                .add(convBnRelu(width, 3, 1, 1))
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(classes).build());
    }

    /**
     * Nearest-neighbour upsampling of {@code [B, C, h, w]} by an integer factor, built from reshape
     * and broadcast so that every engine differentiates it.
     *
     * @param x the input
     * @param factor the factor
     * @return {@code [B, C, h·factor, w·factor]}
     */
    public static NDArray upsample(NDArray x, int factor) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, h, 1, w, 1)
                .broadcast(new Shape(b, c, h, factor, w, factor))
                .reshape(b, c, h * factor, w * factor);
    }

    private static NDList concatChannels(List<NDList> branches) {
        NDList arrays = new NDList();
        for (NDList branch : branches) {
            arrays.add(branch.singletonOrThrow());
        }
        return new NDList(NDArrays.concat(arrays, 1));
    }

    private static Block convBnRelu(int filters, int kernel, int stride, int dilation) {
        int pad = dilation * (kernel - 1) / 2;
        return new SequentialBlock()
                .add(Conv2d.builder()
                        .setKernelShape(new Shape(kernel, kernel))
                        .optStride(new Shape(stride, stride))
                        .optPadding(new Shape(pad, pad))
                        .optDilation(new Shape(dilation, dilation))
                        .optBias(false)
                        .setFilters(filters)
                        .build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }
}
