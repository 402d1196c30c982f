package dev.javaformers.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.javaformers.TestResources;
import dev.javaformers.util.PyJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chat templates against Python's Jinja2 set up as transformers sets it up (scripts/reference/chat_templates.py):
 * the ChatML, Llama 2, Zephyr and a tool-calling template on two conversations, with and without the generation
 * prompt, including the template that refuses a conversation.
 */
class ChatTemplateTest {

    static final TypeReference<List<Map<String, Object>>> MESSAGES = new TypeReference<>() {};
    final JsonNode expected = PyJson.read(TestResources.path("chat/expected.json"));

    @Test
    void everyTemplateRendersWhatJinja2Renders() {
        Map<String, Object> special = PyJson.MAPPER.convertValue(expected.get("special_tokens"),
                new TypeReference<Map<String, Object>>() {});
        int compared = 0;
        for (JsonNode c : expected.get("cases")) {
            ChatTemplate template = ChatTemplate.ofText(expected.get("templates").get(c.get("template").asText())
                    .asText());
            List<Map<String, Object>> messages = PyJson.MAPPER.convertValue(expected.get("conversations")
                    .get(c.get("conversation").asText()), MESSAGES);
            Map<String, Object> variables = new HashMap<>(special);
            if (c.get("tools").asBoolean()) {
                variables.put("tools", PyJson.MAPPER.convertValue(expected.get("tools"), List.class));
            }
            String what = c.get("template").asText() + "/" + c.get("conversation").asText() + "/"
                    + c.get("add_generation_prompt").asBoolean();
            boolean prompt = c.get("add_generation_prompt").asBoolean();
            if (c.has("error")) {
                var error = assertThrows(IllegalArgumentException.class,
                        () -> template.render(messages, prompt, variables), what);
                assertTrue(error.getMessage().endsWith(c.get("error").asText()), error.getMessage());
            } else {
                assertEquals(c.get("rendered").asText(), template.render(messages, prompt, variables), what);
            }
            compared++;
        }
        assertEquals(16, compared);
    }

    @Test
    void theTokenizerRendersItsOwnTemplateAndEncodesTheChat() {
        try (PreTrainedTokenizer tk = AutoTokenizer.fromPretrained(TestResources.path("chat/tiny-llama-tokenizer")
                .toString())) {
            List<Map<String, Object>> chat = List.of(Map.of("role", "user", "content", "hello world"));
            String text = tk.applyChatTemplate(chat, true);
            assertEquals("<|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n", text);
            long[] ids = (long[]) tk.applyChatTemplate(Map.of("add_generation_prompt", true), chat);
            assertEquals(tk.getVocab().get("<|im_start|>").longValue(), ids[0], "no bos: the template has its own");
            try (BatchEncoding plain = tk.encode(text, Map.of("add_special_tokens", false))) {
                assertArrayEquals(plain.inputIds()[0], ids);
            }
            String given = (String) tk.applyChatTemplate(Map.of("tokenize", false, "chat_template",
                    "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}"), chat);
            assertEquals("<s>hello world", given);
        }
    }

    @Test
    void aMissingTemplateOrTemplateErrorIsClear() {
        try (PreTrainedTokenizer tk = AutoTokenizer.fromPretrained(TestResources.path("chat/tiny-llama-tokenizer")
                .toString())) {
            var syntax = assertThrows(IllegalArgumentException.class, () -> tk.applyChatTemplate(Map.of(
                    "chat_template", "{% for m in messages %}{{ m.content }"), List.of()));
            assertTrue(syntax.getMessage().contains("chat template"), syntax.getMessage());
            var filtered = assertThrows(IllegalArgumentException.class, () -> tk.applyChatTemplate(Map.of(
                    "chat_template", "{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}"),
                    List.of()));
            assertTrue(filtered.getMessage().contains("for x in y if"), filtered.getMessage());
            var named = assertThrows(IllegalArgumentException.class, () -> tk.applyChatTemplate(Map.of(
                    "chat_template", "tool_use"), List.of()));
            assertTrue(named.getMessage().contains("tool_use"), named.getMessage());
        }
    }
}
