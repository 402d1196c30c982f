/** GPT-2 (Radford et al., 2019): its configuration, the decoder and the language-model head. */
package dev.javaformers.models.gpt2;
