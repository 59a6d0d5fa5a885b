package io.github.djllovasz.examples.fashion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The settings of {@link FashionSegmentation}, parsed from command-line flags ({@link #usage()}).
 *
 * @param epochs epochs of every run
 * @param fineTuneEpochs final epochs of Lovász in the CE → Lovász run; the learning rate of every
 *     run is multiplied by {@code lrDecay} when they start
 * @param batchSize scenes per batch
 * @param learningRate Adam's initial learning rate
 * @param lrDecay the factor applied to the learning rate for the last {@code fineTuneEpochs}
 * @param lambda the Lovász weight of the CE + λ·Lovász run
 * @param seed the seed of the scenes, the initial weights and the batch order
 * @param width the base width of the network
 * @param trainScenes training scenes (composed once, shuffled every epoch)
 * @param testScenes held-out scenes, composed from Fashion-MNIST's test images
 * @param data {@code embedded}, {@code debian} or a directory of IDX files
 * @param output the output folder
 * @param recipes the runs to train, in order
 */
public record TrainingOptions(
        int epochs,
        int fineTuneEpochs,
        int batchSize,
        float learningRate,
        float lrDecay,
        float lambda,
        long seed,
        int width,
        int trainScenes,
        int testScenes,
        String data,
        Path output,
        Set<Recipe> recipes) {

    /** @return the defaults: about five minutes on two CPU cores */
    public static TrainingOptions defaults() {
        return new TrainingOptions(
                6, 2, 32, 5e-3f, 0.3f, 0.5f, 42, 16, 1600, 400, "embedded",
                Path.of("results", "fashion"), EnumSet.allOf(Recipe.class));
    }

    /** Checks the values. */
    public TrainingOptions {
        if (epochs < 1 || fineTuneEpochs < 0 || fineTuneEpochs > epochs) {
            throw new IllegalArgumentException(
                    "need epochs >= 1 and 0 <= fine-tune epochs <= epochs, got " + epochs + ", "
                            + fineTuneEpochs);
        }
        if (batchSize < 1 || trainScenes < 1 || testScenes < 1 || width < 1) {
            throw new IllegalArgumentException("batch, scenes and width must be positive");
        }
        if (!(learningRate > 0) || !(lrDecay > 0) || !(lambda >= 0)) {
            throw new IllegalArgumentException("need lr > 0, lr decay > 0, lambda >= 0");
        }
        if (recipes.isEmpty()) {
            throw new IllegalArgumentException("no run selected");
        }
        recipes = Set.copyOf(EnumSet.copyOf(recipes));
    }

    /** @return the selected recipes in their declared order */
    public List<Recipe> orderedRecipes() {
        List<Recipe> ordered = new ArrayList<>();
        for (Recipe recipe : Recipe.values()) {
            if (recipes.contains(recipe)) {
                ordered.add(recipe);
            }
        }
        return ordered;
    }

    /** @return the first epoch (0-based) of the fine-tuning phase */
    public int switchEpoch() {
        return epochs - fineTuneEpochs;
    }

    /**
     * Parses flags over the defaults.
     *
     * @param args the flags
     * @return the options, or {@code null} if {@code --help} was asked for
     * @throws IllegalArgumentException for an unknown flag or a bad value
     */
    public static TrainingOptions parse(String... args) {
        TrainingOptions o = defaults();
        int epochs = o.epochs;
        int fineTune = o.fineTuneEpochs;
        int batch = o.batchSize;
        float lr = o.learningRate;
        float decay = o.lrDecay;
        float lambda = o.lambda;
        long seed = o.seed;
        int width = o.width;
        int train = o.trainScenes;
        int test = o.testScenes;
        String data = o.data;
        Path output = o.output;
        Set<Recipe> recipes = EnumSet.allOf(Recipe.class);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("flag " + flag + " needs a value (see --help)");
            }
            String value = args[++i];
            switch (flag) {
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--finetune-epochs" -> fineTune = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--lr" -> lr = Float.parseFloat(value);
                case "--lr-decay" -> decay = Float.parseFloat(value);
                case "--lambda" -> lambda = Float.parseFloat(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--width" -> width = Integer.parseInt(value);
                case "--train-scenes" -> train = Integer.parseInt(value);
                case "--test-scenes" -> test = Integer.parseInt(value);
                case "--data" -> data = value;
                case "--output" -> output = Path.of(value);
                case "--runs" -> recipes = parseRecipes(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag + " (see --help)");
            }
        }
        if (fineTune > epochs) {
            fineTune = epochs;
        }
        return new TrainingOptions(epochs, fineTune, batch, lr, decay, lambda, seed, width, train,
                test, data, output, recipes);
    }

    private static Set<Recipe> parseRecipes(String value) {
        Set<Recipe> recipes = EnumSet.noneOf(Recipe.class);
        for (String name : value.split(",")) {
            recipes.add(Recipe.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return recipes;
    }

    /** @return the help text */
    public static String usage() {
        TrainingOptions d = defaults();
        return String.join("\n",
                "Trains a small fully-convolutional network on Fashion-MNIST scenes five ways",
                "(cross-entropy, Lovász-Softmax, CE then Lovász fine-tuning, CE + λ·Lovász,",
                "label-smoothed CE + 3 x Jaccard metric loss) and reports per-class IoU, mIoU^D,",
                "mIoU^I, mIoU^C and wall time on held-out scenes, with two PNGs.",
                "",
                "Flags (default in brackets):",
                "  --epochs N            epochs of every run [" + d.epochs + "]",
                "  --finetune-epochs K   last K epochs: Lovász in the CE → Lovász run, and the",
                "                        learning rate of every run times --lr-decay ["
                        + d.fineTuneEpochs + "]",
                "  --lr X                Adam learning rate [" + d.learningRate + "]",
                "  --lr-decay X          learning-rate factor for the last K epochs [" + d.lrDecay
                        + "]",
                "  --lambda X            Lovász weight in CE + λ·Lovász [" + d.lambda + "]",
                "  --batch N             scenes per batch [" + d.batchSize + "]",
                "  --train-scenes N      training scenes [" + d.trainScenes + "]",
                "  --test-scenes N       held-out scenes (from the test split) [" + d.testScenes
                        + "]",
                "  --width N             network base width [" + d.width + "]",
                "  --seed N              seed of scenes, weights and batch order [" + d.seed + "]",
                "  --data SRC            embedded (the subset shipped in the jar), debian (the",
                "                        dataset-fashion-mnist package, found with dpkg -L), or a",
                "                        directory of the four IDX files [" + d.data + "]",
                "  --output DIR          folder for the PNGs and results.md [" + d.output + "]",
                "  --runs LIST           comma-separated subset of CROSS_ENTROPY, LOVASZ,",
                "                        CE_THEN_LOVASZ, CE_PLUS_LOVASZ, LS_CE_PLUS_JML [all]",
                "  --help                this text");
    }
}
