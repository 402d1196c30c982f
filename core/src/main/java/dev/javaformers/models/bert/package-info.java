/** BERT (Devlin et al., 2018): its configuration. */
package dev.javaformers.models.bert;
