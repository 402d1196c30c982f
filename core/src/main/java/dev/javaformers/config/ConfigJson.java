package dev.javaformers.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Jackson set-up for configs: public camelCase fields are the snake_case keys of {@code config.json}
 * ({@code hiddenSize} is {@code hidden_size}); getters and setters are used only where annotated.
 */
final class ConfigJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.PUBLIC_ONLY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    static final TypeReference<Map<String, Object>> MAP_TYPE = new TypeReference<>() {};

    private ConfigJson() {}

    /** The keys a config class reads, in snake_case. */
    static Set<String> knownKeys(Class<?> type) {
        JavaType javaType = MAPPER.constructType(type);
        return MAPPER.getDeserializationConfig().introspect(javaType).findProperties().stream()
                .filter(BeanPropertyDefinition::couldDeserialize)
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** "config.json: key 'hidden_size' expects int, ..." from a Jackson error. */
    static IllegalArgumentException badValue(String source, JsonMappingException e) {
        String key = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        String expected = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
                && m.getTargetType() != null ? m.getTargetType().getSimpleName() : "another type";
        String message = e.getOriginalMessage().lines().findFirst().orElse("");
        return new IllegalArgumentException(source + ": key '" + key + "' expects a value of type " + expected
                + " (" + message + ")", e);
    }
}
