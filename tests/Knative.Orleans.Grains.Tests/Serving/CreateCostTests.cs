using Knative.Orleans.Contracts.Client;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>
/// What one service create costs at initial-scale 0 (bench/control-plane's case), pinned so that it cannot grow silently:
/// grain storage writes (each one a row in the embedded SQLite store, the rate limit of creates) and activations.
/// </summary>
[Collection(CreateCostCollection.Name)]
public sealed class CreateCostTests(CreateCostFixture fx)
{
    private const int Creates = 10;

    private readonly KnativeClient _client = new(fx.Client);

    internal static Service AtZero(string name) => ServiceGrainTests.Hello(name) is var s
        ? s with
        {
            Spec = s.Spec! with
            {
                Template = s.Spec.Template! with
                {
                    Metadata = new ObjectMeta { Annotations = new() { [AutoscalingAnnotations.InitialScale] = "0" } },
                },
            },
        }
        : throw new InvalidOperationException();

    [Fact]
    public async Task A_create_at_initial_scale_zero_writes_the_index_the_revision_and_the_service_once_each()
    {
        // The namespace's index grain is activated once, by the first create.
        Assert.Equal(ApplyOutcome.Created, (await _client.ApplyServiceAsync("cost", AtZero("first"), ApplyMode.Create)).Outcome);
        var writes = fx.Storage!.Writes;
        var reads = fx.Storage.Reads;

        for (var i = 0; i < Creates; i++)
        {
            Assert.Equal(ApplyOutcome.Created, (await _client.ApplyServiceAsync("cost", AtZero($"svc{i}"), ApplyMode.Create)).Outcome);
        }

        Assert.Equal(
            new Dictionary<string, int> { ["index"] = Creates, ["revision"] = Creates, ["service"] = Creates },
            Delta(writes, fx.Storage.Writes));
        var activations = Delta(reads, fx.Storage.Reads);
        Assert.Equal(Creates, activations["service"]);
        Assert.Equal(Creates, activations["revision"]);
        // Besides: the standalone Configuration and Route of the same name are looked up (at most one activation each).
        Assert.True(activations.Values.Sum() <= 4 * Creates, $"activations per create: {string.Join(", ", activations)}");
        Assert.DoesNotContain(fx.Driver.Running.Values, w => w.RevisionKey.StartsWith("cost/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_single_write_stores_the_revision_with_its_first_status()
    {
        await _client.ApplyServiceAsync("cost-durable", AtZero("one"), ApplyMode.Create);
        var revision = fx.Client.GetGrain<IRevisionGrain>("cost-durable/one-00001");
        var before = await revision.GetAsync();

        await fx.Cluster.DeactivateAsync(revision);
        var after = await revision.GetAsync();

        Assert.NotNull(after);
        Assert.Equal(ConditionStatus.False, ConditionSet.Get(after!.Status!.Conditions, ServingConditions.Active)!.Status);
        Assert.Equal(
            before!.Status!.Conditions!.Select(c => (c.Type, c.Status, c.Reason, c.LastTransitionTime)),
            after.Status.Conditions!.Select(c => (c.Type, c.Status, c.Reason, c.LastTransitionTime)));
        Assert.Equal(0, after.Status.DesiredReplicas);
    }

    [Fact]
    public async Task A_revision_that_could_not_be_stored_is_not_acknowledged_and_a_retry_creates_it()
    {
        fx.Storage!.FailNextWrite("revision");

        await Assert.ThrowsAnyAsync<Exception>(() => _client.ApplyServiceAsync("cost-fail", AtZero("one"), ApplyMode.Create));

        // Nothing half-made is answered: not the revision held in memory, not a service pointing at it.
        Assert.Null(await fx.Client.GetGrain<IRevisionGrain>("cost-fail/one-00001").GetAsync());
        Assert.Null(await _client.GetServiceAsync("cost-fail", "one"));

        var retry = await _client.ApplyServiceAsync("cost-fail", AtZero("one"), ApplyMode.Create);
        Assert.Equal(ApplyOutcome.Created, retry.Outcome);
        var revision = fx.Client.GetGrain<IRevisionGrain>("cost-fail/one-00001");
        await fx.Cluster.DeactivateAsync(revision);
        Assert.NotNull(await revision.GetAsync());
    }

    private static Dictionary<string, int> Delta(IReadOnlyDictionary<string, int> before, IReadOnlyDictionary<string, int> after) =>
        after.Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(d => d.Count != 0).ToDictionary(d => d.Key, d => d.Count);
}
