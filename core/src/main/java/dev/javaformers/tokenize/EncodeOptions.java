package dev.javaformers.tokenize;

import dev.javaformers.util.Kwargs;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of transformers' {@code tokenizer(...)} call, read from a map with snake_case or camelCase keys:
 * {@code padding}, {@code truncation}, {@code max_length}, {@code stride}, {@code pad_to_multiple_of},
 * {@code return_tensors}, {@code return_overflowing_tokens}, {@code return_offsets_mapping},
 * {@code return_token_type_ids}, {@code return_attention_mask}, {@code return_special_tokens_mask},
 * {@code return_length}, {@code add_special_tokens}.
 */
record EncodeOptions(Padding padding, Truncation truncation, Integer maxLength, int stride, Integer padToMultipleOf,
        boolean tensors, boolean overflow, boolean offsets, Boolean tokenTypeIds, boolean attentionMask,
        boolean specialTokensMask, boolean length, boolean addSpecialTokens) {

    enum Padding { NONE, LONGEST, MAX_LENGTH }

    enum Truncation { NONE, LONGEST_FIRST, ONLY_FIRST, ONLY_SECOND }

    static EncodeOptions of(Map<String, ?> map) {
        Kwargs kw = Kwargs.of(map);
        Padding padding = padding(kw.pop("padding"));
        Truncation truncation = truncation(kw.pop("truncation"));
        Integer maxLength = integer(kw.pop("max_length"), "max_length");
        Integer stride = integer(kw.pop("stride"), "stride");
        Integer multiple = integer(kw.pop("pad_to_multiple_of"), "pad_to_multiple_of");
        String tensors = kw.popString("return_tensors");
        if (tensors != null && !tensors.equals("pt") && !tensors.equals("djl")) {
            throw new IllegalArgumentException("return_tensors must be 'pt' (DJL NDArrays), got '" + tensors + "'");
        }
        Object types = kw.pop("return_token_type_ids");
        EncodeOptions o = new EncodeOptions(padding, truncation, maxLength, stride == null ? 0 : stride, multiple,
                tensors != null, kw.popBoolean("return_overflowing_tokens", false),
                kw.popBoolean("return_offsets_mapping", false), types == null ? null : Kwargs.isTruthy(types.toString()),
                kw.popBoolean("return_attention_mask", true), kw.popBoolean("return_special_tokens_mask", false),
                kw.popBoolean("return_length", false), kw.popBoolean("add_special_tokens", true));
        if (!kw.isEmpty()) {
            String known = "padding, truncation, max_length, stride, pad_to_multiple_of, return_tensors, "
                    + "return_overflowing_tokens, return_offsets_mapping, return_token_type_ids, "
                    + "return_attention_mask, return_special_tokens_mask, return_length, add_special_tokens";
            throw new IllegalArgumentException("Unknown tokenizer arguments " + kw.remaining().keySet() + "."
                    + dev.javaformers.util.Names.didYouMean(kw.remaining().keySet(), List.of(known.split(", ")))
                    + " Known: " + known);
        }
        return o;
    }

    private static Padding padding(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return Padding.NONE;
        }
        if (Boolean.TRUE.equals(value)) {
            return Padding.LONGEST;
        }
        return switch (value.toString().toLowerCase(Locale.ROOT)) {
            case "true", "longest" -> Padding.LONGEST;
            case "max_length" -> Padding.MAX_LENGTH;
            case "false", "do_not_pad" -> Padding.NONE;
            default -> throw new IllegalArgumentException("padding must be true/'longest', 'max_length' or false, "
                    + "got '" + value + "'");
        };
    }

    private static Truncation truncation(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return Truncation.NONE;
        }
        if (Boolean.TRUE.equals(value)) {
            return Truncation.LONGEST_FIRST;
        }
        return switch (value.toString().toLowerCase(Locale.ROOT)) {
            case "true", "longest_first" -> Truncation.LONGEST_FIRST;
            case "only_first" -> Truncation.ONLY_FIRST;
            case "only_second" -> Truncation.ONLY_SECOND;
            case "false", "do_not_truncate" -> Truncation.NONE;
            default -> throw new IllegalArgumentException("truncation must be true/'longest_first', 'only_first', "
                    + "'only_second' or false, got '" + value + "'");
        };
    }

    private static Integer integer(Object value, String name) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'", e);
        }
    }
}
