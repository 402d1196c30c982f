/** GPT-2 (Radford et al., 2019): its configuration. */
package dev.javaformers.models.gpt2;
