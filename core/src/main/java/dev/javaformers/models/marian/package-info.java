/** Marian (Junczys-Dowmunt et al., 2018): BART's layers with sinusoidal positions, the Opus-MT translators. */
package dev.javaformers.models.marian;
