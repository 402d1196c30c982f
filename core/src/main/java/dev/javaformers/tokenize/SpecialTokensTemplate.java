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
        String single = (addBos ? bos + " " : "") + "$A" + (addEos ? " " + eos : "");
        String pair = single + (addBos ? " " + bos + ":1" : "") + " $B:1" + (addEos ? " " + eos + ":1" : "");
        ObjectNode post = template(single, pair, vocab);
        ObjectNode copy = tokenizerJson.deepCopy();
        copy.set("post_processor", post);
        return copy;
    }

    /**
     * A {@code TemplateProcessing} post-processor written in the tokenizers library's template notation:
     * {@code "[CLS] $A [SEP]"} and {@code "[CLS] $A [SEP] $B:1 [SEP]:1"}, where {@code $A}/{@code $B} are the
     * sequences, anything else a special token whose id {@code ids} gives, and {@code :1} the type id (0 if left out).
     */
    static ObjectNode template(String single, String pair, Map<String, Integer> ids) {
        ObjectNode post = PyJson.MAPPER.createObjectNode().put("type", "TemplateProcessing");
        Map<String, Integer> used = new java.util.LinkedHashMap<>();
        for (String[] side : new String[][] {{"single", single}, {"pair", pair}}) {
            ArrayNode pieces = post.putArray(side[0]);
            for (String piece : side[1].trim().split(" +")) {
                int colon = piece.lastIndexOf(':');
                boolean typed = colon > 0 && piece.substring(colon + 1).matches("\\d+");
                String id = typed ? piece.substring(0, colon) : piece;
                int typeId = typed ? Integer.parseInt(piece.substring(colon + 1)) : 0;
                if (id.equals("$A") || id.equals("$B")) {
                    pieces.addObject().putObject("Sequence").put("id", id.substring(1)).put("type_id", typeId);
                } else {
                    Integer tokenId = ids.get(id);
                    if (tokenId == null) {
                        throw new IllegalArgumentException("the special token " + id + " of the template " + side[1]
                                + " is not in the vocabulary");
                    }
                    used.put(id, tokenId);
                    pieces.addObject().putObject("SpecialToken").put("id", id).put("type_id", typeId);
                }
            }
        }
        ObjectNode tokens = post.putObject("special_tokens");
        used.forEach((token, id) -> {
            ObjectNode entry = tokens.putObject(token).put("id", token);
            entry.putArray("ids").add(id);
            entry.putArray("tokens").add(token);
        });
        return post;
    }
}
