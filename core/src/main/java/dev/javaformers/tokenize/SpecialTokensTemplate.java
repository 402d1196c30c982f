package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.javaformers.util.PyJson;
import java.util.Map;
import java.util.Set;

/**
 * {@code add_bos_token} and {@code add_eos_token} of {@code tokenizer_config.json}, applied as transformers'
 * {@code LlamaTokenizerFast.update_post_processor} applies them: the post-processor of {@code tokenizer.json}
 * becomes a template {@code [bos] $A [eos]} (pairs {@code [bos] $A [eos] [bos] $B [eos]}). Llama-family tokenizer
 * classes always get it (bos on, eos off by default); others only when a flag is set to true.
 */
final class SpecialTokensTemplate {

    private static final Set<String> LLAMA_FAMILY = Set.of("LlamaTokenizer", "LlamaTokenizerFast",
            "CodeLlamaTokenizer", "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast");

    private SpecialTokensTemplate() {}

    /** {@code tokenizerJson} with its post-processor rewritten where the flags say so, else unchanged. */
    static ObjectNode apply(ObjectNode tokenizerJson, JsonNode config, Map<String, String> specialTokens,
            Map<String, Integer> vocab, String source) {
        boolean llama = LLAMA_FAMILY.contains(config.path("tokenizer_class").asText(""));
        boolean addBos = config.path("add_bos_token").asBoolean(llama);
        boolean addEos = config.path("add_eos_token").asBoolean(false);
        if (!llama && !addBos && !addEos) {
            return tokenizerJson;
        }
        String bos = specialTokens.get("bos_token");
        String eos = specialTokens.get("eos_token");
        if (addBos && (bos == null || !vocab.containsKey(bos))) {
            throw new IllegalArgumentException(source + ": add_bos_token is true but the bos_token " + bos
                    + " is not in the vocabulary");
        }
        if (addEos && (eos == null || !vocab.containsKey(eos))) {
            throw new IllegalArgumentException(source + ": add_eos_token is true but the eos_token " + eos
                    + " is not in the vocabulary");
        }
        ObjectNode post = PyJson.MAPPER.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        ArrayNode pair = post.putArray("pair");
        for (int typeId = 0; typeId < 2; typeId++) {
            for (ArrayNode target : typeId == 0 ? new ArrayNode[] {single, pair} : new ArrayNode[] {pair}) {
                if (addBos) {
                    target.addObject().putObject("SpecialToken").put("id", bos).put("type_id", typeId);
                }
                target.addObject().putObject("Sequence").put("id", typeId == 0 ? "A" : "B").put("type_id", typeId);
                if (addEos) {
                    target.addObject().putObject("SpecialToken").put("id", eos).put("type_id", typeId);
                }
            }
        }
        ObjectNode tokens = post.putObject("special_tokens");
        for (String token : addBos && addEos ? new String[] {bos, eos} : addBos ? new String[] {bos}
                : addEos ? new String[] {eos} : new String[0]) {
            ObjectNode entry = tokens.putObject(token).put("id", token);
            entry.putArray("ids").add(vocab.get(token));
            entry.putArray("tokens").add(token);
        }
        ObjectNode copy = tokenizerJson.deepCopy();
        copy.set("post_processor", post);
        return copy;
    }
}
