import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.hub.Hub;
import java.nio.file.Path;
import java.util.Map;

/**
 * AutoConfig from a local folder, then from a Hub (HF_ENDPOINT) with overrides, as transformers users do:
 *   java -cp "$(scripts/classpath)" scripts/examples/ConfigDemo.java LOCAL_DIR REPO_ID
 */
public class ConfigDemo {
    public static void main(String[] args) {
        PretrainedConfig local = AutoConfig.fromPretrained(args[0]);
        System.out.println("From the folder " + args[0] + ":\n" + local);

        System.out.println("From the Hub at " + System.getenv("HF_ENDPOINT") + ", repository " + args[1] + ":");
        PretrainedConfig hub = AutoConfig.fromPretrained(args[1], Map.of("heads", 4, "num_labels", 3));
        System.out.println("  " + hub.getClass().getSimpleName() + ": heads=" + hub.get("num_attention_heads")
                + ", labels=" + hub.id2label);
        Path cached = Hub.download(args[1], "config.json");
        System.out.println("  cached as " + cached);

        Path saved = hub.save(Path.of("out", "my-config"));
        System.out.println("  saved with the overrides to " + saved);
    }
}
