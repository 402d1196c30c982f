import ai.djl.ndarray.NDArray;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.List;
import java.util.Map;

/**
 * Loads the real pretrained sentence-transformers/all-MiniLM-L6-v2 and its tokenizer by name (offline they come
 * from the bundled copy) and compares mean-pooled sentence embeddings:
 *   java -cp "$(scripts/classpath)" scripts/examples/ModelDemo.java
 */
public class ModelDemo {
    public static void main(String[] args) {
        String name = "sentence-transformers/all-MiniLM-L6-v2";
        List<String> sentences = List.of("A man is eating food.", "A man is eating a piece of bread.",
                "The stock market fell sharply on Tuesday.");
        try (PreTrainedModel<?> model = AutoModel.fromPretrained(name);
                PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(name);
                BatchEncoding batch = tokenizer.encode(sentences, Map.of("padding", true, "truncation", true,
                        "return_tensors", "pt"))) {
            System.out.println(model);
            System.out.println(tokenizer);
            System.out.println(batch);
            NDArray hidden = ((BaseModelOutput) model.forward(batch)).lastHiddenState();
            NDArray mask = ((NDArray) batch.get("attention_mask")).toType(hidden.getDataType(), false).expandDims(-1);
            NDArray embeddings = hidden.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1})); // mean pooling
            NDArray unit = embeddings.div(embeddings.norm(new int[] {1}, true));
            float[] cosines = unit.matMul(unit.transpose()).toFloatArray();
            for (int j = 1; j < sentences.size(); j++) {
                System.out.printf("cosine(\"%s\", \"%s\") = %.3f%n", sentences.get(0), sentences.get(j), cosines[j]);
            }
        }
    }
}
