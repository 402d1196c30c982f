import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.bert.BertModel;
import java.nio.file.Path;

/**
 * Loads the real pretrained sentence-transformers/all-MiniLM-L6-v2 by name (offline it comes from the bundled
 * copy) and compares sentence embeddings:
 *   java -cp "$(scripts/classpath)" scripts/examples/ModelDemo.java
 */
public class ModelDemo {
    public static void main(String[] args) throws Exception {
        String name = "sentence-transformers/all-MiniLM-L6-v2";
        String[] sentences = {"A man is eating food.", "A man is eating a piece of bread.",
            "The stock market fell sharply on Tuesday."};
        Path tokenizerJson = Hub.cachedFile(name, "tokenizer.json", HubOptions.defaults());
        try (BertModel model = (BertModel) AutoModel.fromPretrained(name);
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
                        .optMaxLength(128).build();
                NDManager manager = NDManager.newBaseManager()) {
            System.out.println(model);
            float[][] vectors = new float[sentences.length][];
            for (int i = 0; i < sentences.length; i++) {
                Encoding enc = tokenizer.encode(sentences[i]);
                NDArray ids = manager.create(enc.getIds(), new Shape(1, enc.getIds().length));
                NDArray hidden = model.forward(ids, ids.onesLike(), ids.zerosLike()).lastHiddenState();
                vectors[i] = hidden.mean(new int[] {1}).toFloatArray(); // mean pooling
            }
            for (int j = 1; j < sentences.length; j++) {
                System.out.printf("cosine(\"%s\", \"%s\") = %.3f%n", sentences[0], sentences[j],
                        cosine(vectors[0], vectors[j]));
            }
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
