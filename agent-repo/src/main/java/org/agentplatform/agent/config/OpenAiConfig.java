package org.agentplatform.agent.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.math.BigDecimal;

/** The openai runner: an OpenAI-compatible chat-completions endpoint ({@code agent.openai.*}). */
@ConfigurationProperties("agent.openai")
public class OpenAiConfig {
    /** Base URL up to and including the version, e.g. https://api.openai.com/v1 (OPENAI_BASE_URL). */
    private String baseUrl = "https://api.openai.com/v1";
    /** Bearer key (OPENAI_API_KEY); empty sends no Authorization header (local servers). */
    private String apiKey = "";
    /** The model used when a task asks for "default" or nothing (OPENAI_MODEL). */
    private String defaultModel = "gpt-4o-mini";
    /** USD per 1000 prompt tokens (AGENT_OPENAI_INPUT_PRICE_PER_1K). */
    private BigDecimal inputPricePer1k = new BigDecimal("0.00015");
    /** USD per 1000 completion tokens (AGENT_OPENAI_OUTPUT_PRICE_PER_1K). */
    private BigDecimal outputPricePer1k = new BigDecimal("0.0006");
    /** The system message sent before the task's input (AGENT_OPENAI_SYSTEM_PROMPT). */
    private String systemPrompt = "You are a helpful coding agent. Answer the request concisely in GitHub-flavoured Markdown.";
    /** Connect timeout (AGENT_OPENAI_CONNECT_TIMEOUT_SECONDS). */
    private int connectTimeoutSeconds = 10;

    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String v) { baseUrl = v; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String v) { apiKey = v; }
    public String getDefaultModel() { return defaultModel; }
    public void setDefaultModel(String v) { defaultModel = v; }
    public BigDecimal getInputPricePer1k() { return inputPricePer1k; }
    public void setInputPricePer1k(BigDecimal v) { inputPricePer1k = v; }
    public BigDecimal getOutputPricePer1k() { return outputPricePer1k; }
    public void setOutputPricePer1k(BigDecimal v) { outputPricePer1k = v; }
    public String getSystemPrompt() { return systemPrompt; }
    public void setSystemPrompt(String v) { systemPrompt = v; }
    public int getConnectTimeoutSeconds() { return connectTimeoutSeconds; }
    public void setConnectTimeoutSeconds(int v) { connectTimeoutSeconds = v; }
}
