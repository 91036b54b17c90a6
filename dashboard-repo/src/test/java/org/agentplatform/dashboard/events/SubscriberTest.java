package org.agentplatform.dashboard.events;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubscriberTest {
    static final class ListSink implements Subscriber.Sink {
        final List<String> sent = new ArrayList<>();

        @Override
        public void send(String frame) {
            sent.add(frame);
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    @Test
    void liveEventsArrivingDuringTheReplayWaitAndAreNotSentTwice() {
        ListSink sink = new ListSink();
        Subscriber s = new Subscriber(sink, "10-0");
        s.live("12-0", "live-12");          // read by the live reader while the replay runs
        s.replay("10-0", "replay-10");       // the resume point itself: already seen
        s.replay("11-0", "replay-11");
        s.replay("12-0", "replay-12");
        s.replayDone();
        s.live("13-0", "live-13");
        assertThat(sink.sent).containsExactly("replay-11", "replay-12", "live-13");
    }

    @Test
    void withoutAResumePointEverythingLiveGoesStraightOut() {
        ListSink sink = new ListSink();
        Subscriber s = new Subscriber(sink, null);
        s.live("1-0", "a");
        s.live("1-1", "b");
        s.live("1-1", "b-again");
        assertThat(sink.sent).containsExactly("a", "b");
    }

    @Test
    void idsCompareNumericallyNotAsText() {
        assertThat(StreamIds.compare("9-0", "10-0")).isNegative();
        assertThat(StreamIds.compare("10-2", "10-10")).isNegative();
        assertThat(StreamIds.compare("10-10", "10-10")).isZero();
        assertThat(StreamIds.valid("1732615200000-0")).isTrue();
        assertThat(StreamIds.valid("1732615200000")).isFalse();
        assertThat(StreamIds.valid("a-b")).isFalse();
    }
}
