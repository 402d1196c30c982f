package dev.javaformers.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.generation.GenerationConfig;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.CausalLMOutput;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.gpt2.GPT2LMHeadModel;
import dev.javaformers.models.gpt2.Gpt2Config;
import dev.javaformers.util.PyJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The generation benchmark: a random gpt2-sized model (124M parameters), batch 1, an 8-token prompt, 128 greedy
 * new tokens with and without the cache, against real transformers on the same machine when
 * {@code scripts/reference/bench_generate.py} wrote its results (the second argument). Run with
 * {@code scripts/bench generate [runs]}, which runs both and sets the same thread count on each.
 */
public final class GenerateBench {

    /** The same ids as bench_generate.py's PROMPT. */
    static final long[][] PROMPT = {{464, 2068, 7586, 21831, 18045, 625, 262, 16931}};
    static final int NEW = 128;

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        JsonNode ref = args.length > 1 ? PyJson.read(Path.of(args[1])) : null;
        Gpt2Config config = new Gpt2Config();
        GPT2LMHeadModel model = new GPT2LMHeadModel(config, NDManager.newBaseManager("PyTorch"));
        try (model) {
            model.eval();
            Timed timed = new Timed(model);
            Result cache = bench(timed, true, runs);
            Result noCache = bench(timed, false, runs);
            System.out.printf("gpt2-sized (%.1fM parameters, random), batch 1, %d-token prompt, %d greedy new tokens;"
                    + " median of %d runs%n", model.numParameters() / 1e6, PROMPT[0].length, NEW, runs);
            System.out.printf("threads: DJL/libtorch %d intra-op (grad mode %s)", JniUtils.getNumThreads(),
                    JniUtils.isGradMode() ? "on" : "off");
            if (ref != null) {
                System.out.printf("; PyTorch %s %d (transformers %s, BLAS %s)", ref.get("torch").asText(),
                        ref.get("threads").asInt(), ref.get("transformers").asText(), blas(ref));
            }
            System.out.println();
            Result refCache = ref == null ? null : Result.of(ref.get("cache"));
            Result refNoCache = ref == null ? null : Result.of(ref.get("no_cache"));
            if (ref != null && refNoCache == null) {
                System.out.println("(PyTorch without cache skipped: on the reference BLAS it would take an estimated "
                        + "15 minutes; see BENCH_PY_BLAS in scripts/bench)");
            }
            print("with cache   ", cache, refCache);
            print("without cache", noCache, refNoCache);
            if (ref == null) {
                System.out.println("(no PyTorch numbers: scripts/bench generate runs bench_generate.py when "
                        + "/usr/bin/python3 has torch and /tmp/hfref exists)");
            }
        }
    }

    private static void print(String what, Result j, Result py) {
        System.out.printf("%s Java:    %6.2f tok/s; per token %6.1f ms (1-32) -> %6.1f ms (97-128), late/early "
                + "%.2fx; forward alone %.1f -> %.1f ms%n", what, NEW / j.seconds, j.early * 1e3, j.late * 1e3,
                j.late / j.early, j.forwardEarly * 1e3, j.forwardLate * 1e3);
        if (py != null) {
            System.out.printf("%s PyTorch: %6.2f tok/s; per token %6.1f ms (1-32) -> %6.1f ms (97-128), late/early "
                    + "%.2fx; forward alone %.1f -> %.1f ms%n", what, NEW / py.seconds, py.early * 1e3,
                    py.late * 1e3, py.late / py.early, py.forwardEarly * 1e3, py.forwardLate * 1e3);
            System.out.printf("%s Java / PyTorch: %.2fx the tok/s (above 1: Java faster); per token early %.2fx, "
                    + "late %.2fx the time%n", what, py.seconds / j.seconds, j.early / py.early, j.late / py.late);
        }
    }

    private static String blas(JsonNode ref) {
        List<String> libs = new ArrayList<>();
        ref.get("blas").forEach(n -> libs.add(Path.of(n.asText()).getFileName().toString()));
        String all = String.join(",", libs);
        return ref.get("blas").toString().contains("/blas/libblas") ? all + " = netlib reference BLAS" : all;
    }

    record Result(double seconds, double early, double late, double forwardEarly, double forwardLate) {
        static Result of(JsonNode n) {
            return n == null || n.isNull() ? null : new Result(n.get("seconds").asDouble(), n.get("early").asDouble(),
                    n.get("late").asDouble(), n.get("forward_early").asDouble(), n.get("forward_late").asDouble());
        }
    }

    private static Result bench(Timed timed, boolean useCache, int runs) throws Exception {
        Map<String, Object> kwargs = Map.of("max_new_tokens", NEW, "min_new_tokens", NEW, "do_sample", false,
                "use_cache", useCache, "pad_token_id", 50256);
        List<double[]> steps = new ArrayList<>();
        List<double[]> forwards = new ArrayList<>();
        double seconds = Bench.median(1, runs, () -> {
            timed.entries.clear();
            timed.exits.clear();
            long[][] out = timed.generate(PROMPT, null, kwargs);
            long end = System.nanoTime();
            if (out[0].length != PROMPT[0].length + NEW) {
                throw new IllegalStateException("generated " + (out[0].length - PROMPT[0].length) + " tokens");
            }
            // step i: forward i's entry to forward i+1's (the last to generate's return), as the Python side
            double[] s = new double[NEW];
            double[] f = new double[NEW];
            for (int i = 0; i < NEW; i++) {
                s[i] = ((i + 1 < NEW ? timed.entries.get(i + 1) : end) - timed.entries.get(i)) / 1e9;
                f[i] = (timed.exits.get(i) - timed.entries.get(i)) / 1e9;
            }
            steps.add(s);
            forwards.add(f);
        });
        steps.remove(0); // the warm-up run
        forwards.remove(0);
        return new Result(seconds, pooledMedian(steps, 0, 32), pooledMedian(steps, 96, 128),
                pooledMedian(forwards, 0, 32), pooledMedian(forwards, 96, 128));
    }

    /** The median of tokens [from, to) of every run together. */
    private static double pooledMedian(List<double[]> runs, int from, int to) {
        double[] all = runs.stream().flatMapToDouble(r -> Arrays.stream(r, from, to)).sorted().toArray();
        return all[all.length / 2];
    }

    /**
     * The model, stamping the clock on each forward pass: generate is GenerationMixin's own default method, so it
     * runs exactly as it does on the model itself (the stamps cost two nanoTime calls a step).
     */
    static final class Timed implements GenerationMixin {
        final GPT2LMHeadModel model;
        final List<Long> entries = new ArrayList<>();
        final List<Long> exits = new ArrayList<>();

        Timed(GPT2LMHeadModel model) {
            this.model = model;
        }

        @Override
        public CausalLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray labels,
                DynamicCache cache) {
            entries.add(System.nanoTime());
            CausalLMOutput out = model.forward(inputIds, attentionMask, positionIds, labels, cache);
            exits.add(System.nanoTime()); // DJL's CPU ops are synchronous: the forward is done here
            return out;
        }

        @Override
        public NDArray nextTokenLogits(NDArray inputIds, NDArray attentionMask, NDArray positionIds,
                DynamicCache cache) {
            entries.add(System.nanoTime());
            NDArray logits = model.nextTokenLogits(inputIds, attentionMask, positionIds, cache);
            exits.add(System.nanoTime());
            return logits;
        }

        @Override
        public PretrainedConfig config() {
            return model.config();
        }

        @Override
        public NDManager manager() {
            return model.manager();
        }

        @Override
        public GenerationConfig generationConfig() {
            return model.generationConfig();
        }
    }
}
