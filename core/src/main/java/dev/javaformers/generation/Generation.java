package dev.javaformers.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.models.DynamicCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decoding loops of transformers 4.31's {@code generate}: greedy search, multinomial sampling and beam
 * search, over a model's forward pass with the key/value cache. Scores are processed on the JVM, one step at a
 * time; the model's arrays of each step are freed after it, the cache is kept.
 */
final class Generation {

    private static final Logger LOG = LoggerFactory.getLogger(Generation.class);

    private final GenerationMixin model;
    private final GenerationConfig g;
    private final List<Integer> eos;
    private final int pad;
    private final int maxLength;
    private final int promptLength;
    private final List<LogitsProcessor> processors;
    private final List<StoppingCriteria> stops;
    private long[][] ids;
    private long[][] mask;
    /** Encoder-decoders: the model, the prompts the encoder reads (rows repeated as ids are) and its states. */
    private final Seq2SeqGenerationMixin seq2seq;
    private long[][] encoderIds;
    private long[][] encoderMask;
    private NDArray encoded;
    private NDArray encoderMaskArray;
    private DynamicCache crossCache;

    private Generation(GenerationMixin model, long[][] prompts, long[][] attentionMask, GenerationConfig config,
            List<LogitsProcessor> extraProcessors, List<StoppingCriteria> extraStops) {
        if (prompts.length == 0 || prompts[0].length == 0) {
            throw new IllegalArgumentException("generate needs at least one prompt token");
        }
        for (long[] row : prompts) {
            if (row.length != prompts[0].length) {
                throw new IllegalArgumentException("generate takes prompts of one length: pad them (on the left, "
                        + "with an attention_mask)");
            }
        }
        this.model = model;
        this.g = config;
        this.eos = config.eosTokenId;
        if (config.padTokenId == null && eos != null) {
            LOG.info("Setting pad_token_id to eos_token_id:{} for open-end generation.", eos.get(0));
        }
        this.pad = config.padTokenId != null ? config.padTokenId : eos != null ? eos.get(0) : 0;
        this.seq2seq = model instanceof Seq2SeqGenerationMixin s ? s : null;
        // an encoder-decoder's decoder starts from decoder_start_token_id alone: that is its prompt
        this.promptLength = seq2seq != null ? 1 : prompts[0].length;
        this.maxLength = config.maxNewTokens != null ? promptLength + config.maxNewTokens : config.maxLength;
        if (promptLength >= maxLength) {
            LOG.warn("Input length of input_ids is {}, but max_length is set to {}: increase max_new_tokens",
                    promptLength, maxLength);
        }
        if (seq2seq != null) {
            this.encoderIds = copy(prompts);
            this.encoderMask = attentionMask != null ? copy(attentionMask) : defaultMask(prompts);
            Integer start = model.config().decoderStartTokenId != null ? model.config().decoderStartTokenId
                    : config.bosTokenId;
            if (start == null) {
                throw new IllegalArgumentException("An encoder-decoder needs decoder_start_token_id (or bos_token_id) "
                        + "in its config to start generating");
            }
            this.ids = new long[prompts.length][1];
            for (long[] row : ids) {
                row[0] = start;
            }
            this.mask = new long[prompts.length][1];
            for (long[] row : mask) {
                row[0] = 1;
            }
        } else {
            this.ids = copy(prompts);
            this.mask = attentionMask != null ? copy(attentionMask) : defaultMask(prompts);
        }
        this.processors = new ArrayList<>(LogitsProcessors.forConfig(config, promptLength, maxLength));
        processors.addAll(extraProcessors);
        this.stops = new ArrayList<>(List.of(StoppingCriteria.maxLength(maxLength)));
        stops.addAll(extraStops);
    }

    /** See {@link GenerationMixin#generate}; extra processors run after the config's, as in transformers. */
    static long[][] generate(GenerationMixin model, long[][] prompts, long[][] attentionMask, GenerationConfig config,
            Streamer streamer, List<LogitsProcessor> extraProcessors, List<StoppingCriteria> extraStops) {
        Generation run = new Generation(model, prompts, attentionMask, config, extraProcessors, extraStops);
        if (config.numBeams > 1) {
            if (config.doSample) {
                throw new IllegalArgumentException("Beam sampling (do_sample with num_beams > 1) is not supported");
            }
            if (streamer != null) {
                throw new IllegalArgumentException("streamer cannot be used with beam search");
            }
            return run.beamSearch();
        }
        if (config.numReturnSequences > 1 && !config.doSample) {
            throw new IllegalArgumentException("num_return_sequences has to be 1 when doing greedy search, but is "
                    + config.numReturnSequences);
        }
        if (streamer != null && prompts.length * config.numReturnSequences > 1) {
            throw new IllegalArgumentException("A streamer takes one sequence: a batch of one prompt");
        }
        return run.greedyOrSample(streamer);
    }

    /** Greedy search, or with {@code do_sample} multinomial sampling from the warped scores (seeded). */
    private long[][] greedyOrSample(Streamer streamer) {
        if (g.doSample && g.numReturnSequences > 1) {
            ids = repeatRows(ids, g.numReturnSequences);
            mask = repeatRows(mask, g.numReturnSequences);
            repeatEncoderRows(g.numReturnSequences);
        }
        List<LogitsProcessor> warpers = g.doSample ? LogitsProcessors.warpersForConfig(g) : List.of();
        Random random = g.seed != null ? new Random(g.seed) : new Random();
        boolean[] unfinished = new boolean[ids.length];
        Arrays.fill(unfinished, true);
        if (streamer != null) {
            streamer.put(ids[0]);
        }
        try (NDManager manager = model.manager().newSubManager()) {
            DynamicCache cache = g.useCache ? new DynamicCache() : null;
            while (true) {
                float[][] scores = nextLogits(manager, cache);
                processors.forEach(p -> p.process(ids, scores));
                warpers.forEach(p -> p.process(ids, scores));
                long[] next = new long[ids.length];
                for (int r = 0; r < ids.length; r++) {
                    long token = g.doSample ? draw(LogitsProcessors.softmax(scores[r]), random) : argmax(scores[r]);
                    next[r] = eos == null || unfinished[r] ? token : pad;
                }
                append(next);
                if (streamer != null) {
                    streamer.put(new long[] {next[0]});
                }
                boolean anyLeft = false;
                for (int r = 0; r < ids.length; r++) {
                    unfinished[r] &= eos == null || !eos.contains((int) next[r]);
                    anyLeft |= unfinished[r];
                }
                if (!anyLeft || stops.stream().anyMatch(s -> s.isDone(ids))) {
                    break;
                }
            }
        } finally {
            if (streamer != null) {
                streamer.end();
            }
        }
        return ids;
    }

    /** Beam search with transformers' BeamSearchScorer: 2 * num_beams candidates a step, finished hypotheses kept. */
    private long[][] beamSearch() {
        int beams = g.numBeams;
        int batch = ids.length;
        if (g.numReturnSequences > beams) {
            throw new IllegalArgumentException("num_return_sequences (" + g.numReturnSequences + ") has to be smaller "
                    + "or equal to num_beams (" + beams + ")");
        }
        ids = repeatRows(ids, beams);
        mask = repeatRows(mask, beams);
        repeatEncoderRows(beams);
        float[] beamScores = new float[batch * beams];
        for (int i = 0; i < beamScores.length; i++) {
            beamScores[i] = i % beams == 0 ? 0f : -1e9f;
        }
        List<BeamHypotheses> hyps = new ArrayList<>();
        boolean[] done = new boolean[batch];
        for (int b = 0; b < batch; b++) {
            hyps.add(new BeamHypotheses(beams, g.lengthPenalty, g.earlyStopping, maxLength));
        }
        try (NDManager manager = model.manager().newSubManager()) {
            DynamicCache cache = g.useCache ? new DynamicCache() : null;
            while (true) {
                float[][] scores = nextLogits(manager, cache);
                for (float[] row : scores) {
                    logSoftmax(row);
                }
                processors.forEach(p -> p.process(ids, scores));
                int vocab = scores[0].length;
                int curLen = ids[0].length + 1;
                float[] nextScores = new float[batch * beams];
                long[] nextTokens = new long[batch * beams];
                int[] nextRows = new int[batch * beams];
                for (int b = 0; b < batch; b++) {
                    if (done[b]) {
                        for (int k = 0; k < beams; k++) {
                            nextTokens[b * beams + k] = pad;
                            nextRows[b * beams + k] = b * beams;
                        }
                        continue;
                    }
                    int[] top = topCandidates(scores, beamScores, b, beams, vocab);
                    int filled = 0;
                    float best = Float.NEGATIVE_INFINITY;
                    for (int rank = 0; rank < top.length && filled < beams; rank++) {
                        int row = b * beams + top[rank] / vocab;
                        int token = top[rank] % vocab;
                        float total = scores[row][token] + beamScores[row];
                        best = Math.max(best, total);
                        if (eos != null && eos.contains(token)) {
                            if (rank < beams) {
                                hyps.get(b).add(ids[row].clone(), total);
                            }
                        } else {
                            nextScores[b * beams + filled] = total;
                            nextTokens[b * beams + filled] = token;
                            nextRows[b * beams + filled] = row;
                            filled++;
                        }
                    }
                    done[b] = hyps.get(b).isDone(best, curLen); // the best candidate's score, as transformers
                }
                beamScores = nextScores;
                ids = pick(ids, nextRows);
                mask = pick(mask, nextRows);
                append(nextTokens);
                if (cache != null) {
                    NDArray rows = manager.create(Arrays.stream(nextRows).asLongStream().toArray());
                    cache.reorder(rows);
                    if (crossCache != null) {
                        crossCache.reorder(rows);
                    }
                }
                boolean allDone = true;
                for (boolean d : done) {
                    allDone &= d;
                }
                if (allDone || stops.stream().anyMatch(s -> s.isDone(ids))) {
                    break;
                }
            }
        }
        return finalizeBeams(hyps, done, beamScores, batch, beams);
    }

    /** The 2 * beams best (beam, token) pairs of prompt {@code b}, as flat indices beam * vocab + token. */
    private static int[] topCandidates(float[][] scores, float[] beamScores, int b, int beams, int vocab) {
        int k = Math.min(2 * beams, beams * vocab);
        int[] best = new int[k];
        float[] value = new float[k];
        Arrays.fill(value, Float.NEGATIVE_INFINITY);
        Arrays.fill(best, -1);
        for (int beam = 0; beam < beams; beam++) {
            float offset = beamScores[b * beams + beam];
            float[] row = scores[b * beams + beam];
            for (int t = 0; t < vocab; t++) {
                float v = row[t] + offset;
                if (v > value[k - 1] || best[k - 1] < 0) {
                    int at = k - 1;
                    while (at > 0 && (best[at - 1] < 0 || value[at - 1] < v)) {
                        value[at] = value[at - 1];
                        best[at] = best[at - 1];
                        at--;
                    }
                    value[at] = v;
                    best[at] = beam * vocab + t;
                }
            }
        }
        return best;
    }

    /** transformers' BeamSearchScorer.finalize: running beams join the hypotheses; the best, padded, eos-ended. */
    private long[][] finalizeBeams(List<BeamHypotheses> hyps, boolean[] done, float[] beamScores, int batch,
            int beams) {
        for (int b = 0; b < batch; b++) {
            if (!done[b]) {
                for (int k = 0; k < beams; k++) {
                    hyps.get(b).add(ids[b * beams + k], beamScores[b * beams + k]);
                }
            }
        }
        List<long[]> best = new ArrayList<>();
        for (BeamHypotheses h : hyps) {
            List<BeamHypotheses.Hypothesis> sorted = new ArrayList<>(h.beams);
            sorted.sort((x, y) -> Double.compare(x.score(), y.score())); // stable, as Python's sorted
            for (int j = 0; j < g.numReturnSequences; j++) {
                best.add(sorted.remove(sorted.size() - 1).tokens());
            }
        }
        int longest = best.stream().mapToInt(t -> t.length).max().orElse(0);
        int width = Math.min(longest + 1, maxLength);
        long[][] out = new long[best.size()][width];
        for (int i = 0; i < out.length; i++) {
            long[] tokens = best.get(i);
            Arrays.fill(out[i], pad);
            System.arraycopy(tokens, 0, out[i], 0, Math.min(tokens.length, width));
            if (tokens.length < width) {
                out[i][tokens.length] = eos != null ? eos.get(0) : pad;
            }
        }
        return out;
    }

    /**
     * The next-token logits of every row: the new tokens (all of them first, then the last one when the cache
     * holds the rest) with positions counted over the attention mask, as GPT-2's prepare_inputs_for_generation.
     */
    private float[][] nextLogits(NDManager manager, DynamicCache cache) {
        if (seq2seq != null) {
            return nextDecoderLogits(manager, cache);
        }
        try (NDManager step = manager.newSubManager()) {
            boolean cached = cache != null && cache.seqLength() > 0;
            int rows = ids.length;
            int width = ids[0].length;
            int from = cached ? width - 1 : 0;
            long[] input = new long[rows * (width - from)];
            long[] positions = new long[rows * (width - from)];
            long[] flatMask = new long[rows * width];
            for (int r = 0; r < rows; r++) {
                long count = 0;
                for (int t = 0; t < width; t++) {
                    flatMask[r * width + t] = mask[r][t];
                    count += mask[r][t];
                    if (t >= from) {
                        input[r * (width - from) + t - from] = ids[r][t];
                        positions[r * (width - from) + t - from] = mask[r][t] == 0 ? 1 : count - 1;
                    }
                }
            }
            Shape newShape = new Shape(rows, width - from);
            NDArray inputIds = step.create(input, newShape);
            NDArray positionIds = step.create(positions, newShape);
            NDArray attention = step.create(flatMask, new Shape(rows, width));
            NDArray logits = model.nextTokenLogits(inputIds, attention, positionIds, cache);
            if (cache != null) {
                cache.attach(manager);
            }
            return lastPosition(logits);
        }
    }

    /**
     * An encoder-decoder's next-token logits: the encoder runs once, on the first step, and its states and
     * cross-attention keys and values serve every later one; the decoder reads the new token after its cache.
     */
    private float[][] nextDecoderLogits(NDManager manager, DynamicCache cache) {
        if (encoded == null) {
            NDArray input = manager.create(flat(encoderIds), new Shape(encoderIds.length, encoderIds[0].length));
            encoderMaskArray = manager.create(flat(encoderMask), new Shape(encoderMask.length,
                    encoderMask[0].length));
            encoded = seq2seq.encode(input, encoderMaskArray);
            crossCache = cache != null ? new DynamicCache() : null;
        }
        try (NDManager step = manager.newSubManager()) {
            boolean cached = cache != null && cache.seqLength() > 0;
            int width = ids[0].length;
            int from = cached ? width - 1 : 0;
            long[] input = new long[ids.length * (width - from)];
            for (int r = 0; r < ids.length; r++) {
                System.arraycopy(ids[r], from, input, r * (width - from), width - from);
            }
            NDArray logits = seq2seq.decodeNext(step.create(input, new Shape(ids.length, width - from)), encoded,
                    encoderMaskArray, cache, crossCache);
            if (cache != null) {
                cache.attach(manager);
                crossCache.attach(manager);
            }
            return lastPosition(logits);
        }
    }

    /** Each row's logits at the last position of [rows, tokens, vocab], as Java arrays the processors work on. */
    private static float[][] lastPosition(NDArray logits) {
        int rows = (int) logits.getShape().get(0);
        int vocab = (int) logits.getShape().get(2);
        float[] last = logits.get(":, -1, :").toType(DataType.FLOAT32, false).toFloatArray();
        float[][] scores = new float[rows][];
        for (int r = 0; r < rows; r++) {
            scores[r] = Arrays.copyOfRange(last, r * vocab, (r + 1) * vocab);
        }
        return scores;
    }

    /** The encoder's rows repeated as the decoder's are (beams, returned sequences), before it runs. */
    private void repeatEncoderRows(int times) {
        if (seq2seq != null) {
            encoderIds = repeatRows(encoderIds, times);
            encoderMask = repeatRows(encoderMask, times);
        }
    }

    private static long[] flat(long[][] rows) {
        return Arrays.stream(rows).flatMapToLong(Arrays::stream).toArray();
    }

    /** transformers' default mask: 0 on pad tokens when the pad is not an eos token and the prompts hold one. */
    private long[][] defaultMask(long[][] prompts) {
        boolean padInPrompts = Arrays.stream(prompts).flatMapToLong(Arrays::stream).anyMatch(t -> t == pad);
        boolean padIsEos = eos != null && eos.contains(pad);
        long[][] m = new long[prompts.length][prompts[0].length];
        for (int r = 0; r < m.length; r++) {
            for (int t = 0; t < m[r].length; t++) {
                m[r][t] = padInPrompts && !padIsEos && g.padTokenId != null && prompts[r][t] == pad ? 0 : 1;
            }
        }
        return m;
    }

    private void append(long[] next) {
        for (int r = 0; r < ids.length; r++) {
            ids[r] = Arrays.copyOf(ids[r], ids[r].length + 1);
            ids[r][ids[r].length - 1] = next[r];
            mask[r] = Arrays.copyOf(mask[r], mask[r].length + 1);
            mask[r][mask[r].length - 1] = 1;
        }
    }

    private static void logSoftmax(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        double log = max + Math.log(sum);
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (row[i] - log);
        }
    }

    /** The first index of the highest score, as torch.argmax. */
    private static long argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    private static long draw(double[] probs, Random random) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < probs.length; i++) {
            cumulative += probs[i];
            if (u < cumulative) {
                return i;
            }
        }
        for (int i = probs.length - 1; i >= 0; i--) { // rounding left u above the sum: the last possible token
            if (probs[i] > 0) {
                return i;
            }
        }
        return probs.length - 1;
    }

    private static long[][] copy(long[][] rows) {
        long[][] out = new long[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r].clone();
        }
        return out;
    }

    private static long[][] repeatRows(long[][] rows, int times) {
        long[][] out = new long[rows.length * times][];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows[r / times].clone();
        }
        return out;
    }

    private static long[][] pick(long[][] rows, int[] which) {
        long[][] out = new long[which.length][];
        for (int r = 0; r < which.length; r++) {
            out[r] = rows[which[r]].clone();
        }
        return out;
    }
}
