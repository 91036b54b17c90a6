package org.agentplatform.bench.baseline;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

/**
 * The bare endpoint: reads the body (as the gateway must, to check the signature) and answers
 * 202 with a small JSON body, nothing else. Runs on the event loop like the gateway's controller.
 */
@Controller
public class BareController {

    private static final String ACK = "{\"delivery_id\":\"-\",\"outcome\":\"ignored\",\"duplicate\":false}";

    @Post(uri = "/webhooks/github", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> receive(@Body byte[] body) {
        return HttpResponse.accepted().body(ACK);
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    public String health() {
        return "{\"status\":\"UP\"}";
    }
}
