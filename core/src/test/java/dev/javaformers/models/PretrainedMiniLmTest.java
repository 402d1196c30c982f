package dev.javaformers.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.models.bert.BertModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pretrained all-MiniLM-L6-v2, from the ONNX export in a Maven Central jar, resolved by name offline
 * and converted once into a Hub snapshot: its sentence embeddings behave like the published model's.
 */
class PretrainedMiniLmTest {

    static final String MINILM = "sentence-transformers/all-MiniLM-L6-v2";

    @TempDir
    static Path cache;

    static Map<String, Object> offline() {
        return Map.of("cache_dir", cache.toString(), "local_files_only", true);
    }

    @Test
    void resolvesOfflineAsAnHfSnapshotAndEmbedsSentences() throws Exception {
        BertConfig config = (BertConfig) AutoConfig.fromPretrained(MINILM, offline());
        assertEquals(List.of(6, 384, 12, 1536, 30522), List.of(config.numHiddenLayers, config.hiddenSize,
                config.numAttentionHeads, config.intermediateSize, config.vocabSize));
        Path snapshot = Hub.cachedFile(MINILM, "config.json", HubOptions.builder(Map.of()).optCacheDir(cache)
                .optLocalFilesOnly(true).build()).getParent();
        for (String file : List.of("model.safetensors", "tokenizer.json", "tokenizer_config.json", "1_Pooling/config.json")) {
            assertTrue(Files.isSymbolicLink(snapshot.resolve(file)), file + " is a snapshot link to a blob");
        }
        assertEquals(snapshot.getFileName().toString(), Files.readString(snapshot.getParent().getParent()
                .resolve("refs/main")));

        String[] sentences = {"A man is eating food.", "A man is eating a piece of bread.",
            "The stock market fell sharply on Tuesday."};
        try (BertModel model = assertInstanceOf(BertModel.class, AutoModel.fromPretrained(MINILM, offline()));
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(snapshot.resolve("tokenizer.json"));
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertTrue(model.loadReport().missingKeys().stream().allMatch(k -> k.startsWith("pooler.")),
                    "only the pooler, which the export lacks, is new: " + model.loadReport().missingKeys());
            assertEquals(List.of(), model.loadReport().unexpectedKeys());
            float[][] embeddings = new float[sentences.length][];
            for (int i = 0; i < sentences.length; i++) {
                Encoding enc = tokenizer.encode(sentences[i]);
                NDArray ids = manager.create(enc.getIds(), new Shape(1, enc.getIds().length));
                NDArray mask = manager.create(enc.getAttentionMask(), new Shape(1, enc.getIds().length));
                NDArray hidden = model.forward(ids, mask, manager.create(enc.getTypeIds(), ids.getShape()))
                        .lastHiddenState();
                embeddings[i] = hidden.mean(new int[] {1}).toFloatArray(); // mean pooling, no padding here
            }
            try (var tok = dev.javaformers.tokenize.AutoTokenizer.fromPretrained(MINILM, offline());
                    var batch = tok.encode(List.of(sentences), Map.of("padding", true, "return_tensors", "pt"))) {
                NDArray hidden = model.forward(batch).lastHiddenState();
                NDArray mask = ((NDArray) batch.get("attention_mask")).toType(hidden.getDataType(), false)
                        .expandDims(-1);
                float[] pooled = hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1})).toFloatArray();
                for (int i = 0; i < sentences.length; i++) {
                    for (int j = 0; j < 384; j++) {
                        assertEquals(embeddings[i][j], pooled[i * 384 + j], 1e-5, "padded batch row " + i);
                    }
                }
            }
            double similar = cosine(embeddings[0], embeddings[1]);
            double unrelated = cosine(embeddings[0], embeddings[2]);
            System.out.printf("all-MiniLM-L6-v2 cosine: related %.4f, unrelated %.4f%n", similar, unrelated);
            assertEquals(0.75, similar, 0.06, "the published model gives about 0.75 for this pair");
            assertTrue(unrelated < 0.3, "unrelated sentences: " + unrelated);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
