using System.Collections.Concurrent;
using CloudNative.CloudEvents;
using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Ports;

namespace Knative.Orleans.Grains.Tests.Eventing;

/// <summary>Ordered and parallel delivery, the bounded in-memory window, and compaction by the minimum cursor.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TriggerDeliveryModeTests(ClusterFixture fixture)
{
    private static BrokerEvent Event(string id) => new()
    {
        Mode = EventContentMode.Binary,
        Payload = CloudEventCodec.Encode(new CloudEvent
        {
            Id = id,
            Source = new Uri("/test", UriKind.Relative),
            Type = "t",
            DataContentType = "text/plain",
            Data = "x"u8.ToArray(),
            [EventingNames.BrokerTtl] = "254",
        }),
    };

    private static string IdOf(DispatchRequest request) => CloudEventCodec.Decode(request.Event.Payload).Id!;

    private async Task<IBrokerGrain> BrokerAsync(string ns)
    {
        var broker = fixture.Client.GetGrain<IBrokerGrain>(ns + "/default");
        Assert.Equal(ApplyOutcome.Created, (await broker.ApplyAsync(new Broker { Metadata = new ObjectMeta { Name = "default" } }, ApplyMode.Create, "test")).Outcome);
        return broker;
    }

    private async Task<ITriggerGrain> TriggerAsync(string ns, string name, string host, DeliverySpec delivery, Dictionary<string, string>? annotations = null)
    {
        var grain = fixture.Client.GetGrain<ITriggerGrain>(ns + "/" + name);
        var result = await grain.ApplyAsync(new Trigger
        {
            Metadata = new ObjectMeta { Name = name, Annotations = annotations },
            Spec = new TriggerSpec { Broker = "default", Subscriber = new Destination { Uri = $"http://{host}/" }, Delivery = delivery },
        }, ApplyMode.Create, "test");
        Assert.True(result.Succeeded, result.Message);
        return grain;
    }

    [Fact]
    public async Task Ordered_delivers_one_at_a_time_in_arrival_order_even_with_retries()
    {
        const string ns = "mode-ordered";
        var broker = await BrokerAsync(ns);
        var attempts = new ConcurrentDictionary<string, int>();
        fixture.Dispatcher.AnswerByHost["sub." + ns] = r => attempts.AddOrUpdate(IdOf(r), 1, (_, n) => n + 1) == 1
            ? new DispatchResult(503, []) // every event fails its first attempt
            : new DispatchResult(200, []);
        var trigger = await TriggerAsync(ns, "t", "sub." + ns, new DeliverySpec { Retry = 3 },
            new() { [TriggerDeliveryAnnotations.DeliveryOrder] = TriggerDeliveryAnnotations.Ordered });

        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        var head = await fixture.EventStore.GetHeadAsync(ns + "/default");
        await Eventually.Until(trigger.GetCursorAsync, c => c == head, "the ordered trigger at the head");
        var sent = fixture.Dispatcher.Requests.Where(r => r.Target.Host == "sub." + ns).Select(IdOf).ToList();
        Assert.Equal(Enumerable.Range(1, 20).SelectMany(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), i.ToString(System.Globalization.CultureInfo.InvariantCulture) }), sent);
    }

    [Fact]
    public async Task Parallel_mode_does_not_wait_for_a_slow_event_and_the_cursor_stops_before_it()
    {
        const string ns = "mode-parallel";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.AnswerByHost["sub." + ns] = r => new DispatchResult(IdOf(r) == "slow" ? 503 : 200, []);
        // The slow event waits an hour (scripted clock) between attempts: it stays in flight for the whole test.
        var trigger = await TriggerAsync(ns, "t", "sub." + ns, new DeliverySpec { Retry = 5, BackoffPolicy = "linear", BackoffDelay = "PT1H" },
            new() { [TriggerDeliveryAnnotations.Parallelism] = "4" });

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("first")));
        var first = await fixture.EventStore.GetHeadAsync(ns + "/default");
        await Eventually.Until(trigger.GetCursorAsync, c => c == first, "the first event finished");
        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("slow")));
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("fast-" + i)));
        }

        await Eventually.Until(() => Task.FromResult(fixture.Dispatcher.Requests.Count(r => r.Target.Host == "sub." + ns && IdOf(r).StartsWith("fast-", StringComparison.Ordinal))),
            n => n == 30, "every event after the slow one delivered");
        Assert.Equal(first, await trigger.GetCursorAsync()); // the slow event is not finished: a restart would deliver it again
    }

    [Fact]
    public async Task A_down_subscriber_holds_at_most_one_batch_and_the_window_in_memory()
    {
        const string ns = "mode-bounded";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.StatusByHost["down." + ns] = 503;
        await TriggerAsync(ns, "t", "down." + ns, new DeliverySpec { Retry = 100, BackoffPolicy = "linear", BackoffDelay = "PT1H" },
            new() { [TriggerDeliveryAnnotations.Parallelism] = "4" });
        var trigger = fixture.Client.GetGrain<ITriggerGrain>(ns + "/t");

        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("e" + i)));
        }

        await Eventually.Until(() => Task.FromResult(fixture.Dispatcher.Requests.Where(r => r.Target.Host == "down." + ns).Select(IdOf).Distinct().Count()),
            n => n == 4, "four events in flight");
        for (var i = 0; i < 5; i++)
        {
            await trigger.NotifyAsync(); // more wake-ups do not read more while the window is full
            await trigger.GetCursorAsync();
        }

        Assert.Equal(4, fixture.Dispatcher.Requests.Where(r => r.Target.Host == "down." + ns).Select(IdOf).Distinct().Count());
        Assert.True(fixture.EventStore.ReturnedByBroker[ns + "/default"] <= 64, $"read {fixture.EventStore.ReturnedByBroker[ns + "/default"]} events");
    }

    [Fact]
    public async Task Compaction_deletes_what_every_trigger_finished()
    {
        const string ns = "mode-compact";
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.AnswerByHost["stuck." + ns] = r => new DispatchResult(IdOf(r) == "5" ? 503 : 200, []);
        var ok = await TriggerAsync(ns, "ok", "ok." + ns, new DeliverySpec());
        var stuck = await TriggerAsync(ns, "stuck", "stuck." + ns, new DeliverySpec { Retry = 5, BackoffPolicy = "linear", BackoffDelay = "PT1H" },
            new() { [TriggerDeliveryAnnotations.DeliveryOrder] = TriggerDeliveryAnnotations.Ordered });
        var positions = new List<long>();
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            positions.Add(await fixture.EventStore.GetHeadAsync(ns + "/default"));
        }

        await Eventually.Until(async () => new[] { await ok.GetCursorAsync(), await stuck.GetCursorAsync() }, c => c[0] == positions[^1] && c[1] == positions[3],
            "ok at the head, stuck before event 5");
        Assert.Equal(4, await broker.CompactAsync());
        Assert.Equal(6, fixture.EventStore.Count(ns + "/default"));

        Assert.True(await stuck.DeleteAsync());
        Assert.Equal(6, await broker.CompactAsync());
        Assert.Equal(0, fixture.EventStore.Count(ns + "/default"));
        Assert.Equal(positions[^1], await fixture.EventStore.GetHeadAsync(ns + "/default"));
    }

    [Fact]
    public async Task Dead_letter_failures_are_counted_in_a_metric()
    {
        const string ns = "mode-metric";
        var measurements = new ConcurrentQueue<(string Name, long Value, string? Reason)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Knative.Orleans.Eventing")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? trigger = null, reason = null;
            foreach (var tag in tags)
            {
                trigger = tag.Key == "trigger" ? tag.Value as string : trigger;
                reason = tag.Key == "reason" ? tag.Value as string : reason;
            }

            if (trigger?.StartsWith(ns + "/", StringComparison.Ordinal) == true)
            {
                measurements.Enqueue((instrument.Name, value, reason));
            }
        });
        listener.Start();
        var broker = await BrokerAsync(ns);
        fixture.Dispatcher.StatusByHost["sub." + ns] = 400; // fails at once
        fixture.Dispatcher.StatusByHost["dls." + ns] = 400;
        await TriggerAsync(ns, "t", "sub." + ns, new DeliverySpec { DeadLetterSink = new Destination { Uri = $"http://dls.{ns}/" } });

        Assert.Equal(IngestOutcome.Accepted, await broker.IngestAsync(Event("m-1")));
        await Eventually.Until(() => Task.FromResult(measurements.ToArray()), m => m.Length > 0, "a dropped event counted");
        Assert.Equal(("knative.eventing.dropped", 1L, "dead_letter_sink_failed"), Assert.Single(measurements));
    }
}
