/** Small helpers shared by the other packages: atomic file writes and Python-compatible JSON. */
package dev.javaformers.util;
