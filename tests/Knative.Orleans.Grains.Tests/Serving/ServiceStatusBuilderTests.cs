using System.Globalization;
using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Routing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Serving;

namespace Knative.Orleans.Grains.Tests.Serving;

/// <summary>
/// ServiceStatusBuilder: Service Ready = ConfigurationsReady ∧ RoutesReady, Route Ready = AllTrafficAssigned ∧ IngressReady ∧
/// CertificateProvisioned, with Knative's reasons and messages (KNATIVE-NOTES 1.4, 1.5).
/// </summary>
public sealed class ServiceStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private const string R1 = "svc-00001";
    private const string R2 = "svc-00002";
    private const string Waiting = "Configuration \"svc\" is waiting for a Revision to become ready.";
    private const string NoReady = "Configuration \"svc\" does not have any ready Revision.";
    private const string Crash = "Container failed with: exit 3";

    /// <summary>An expected condition (the time is checked separately).</summary>
    public sealed record Cond(string Type, string Status, string? Reason = null, string? Message = null);

    /// <summary>An expected status.traffic entry.</summary>
    public sealed record Entry(string? Tag, string Revision, bool? Latest, long? Percent);

    /// <summary>What one Build should produce.</summary>
    public sealed record Want(
        Cond ConfigurationsReady, Cond RoutesReady, Cond Ready, string? LatestCreated, string? LatestReady, string? Pending,
        RouteTarget[] Targets, Entry[]? Traffic);

    private static RevisionRecord Rev(string name, string ready, string? message = null) =>
        new() { Name = name, Ready = ready, Reason = ready == "False" ? "ExitCode3" : null, Message = message };

    private static ServiceState State(RevisionRecord[] revisions, List<TrafficTarget>? traffic = null, RouteTarget[]? lastGood = null) => new()
    {
        Service = new Service
        {
            Metadata = new ObjectMeta { Name = "svc", Namespace = "default", Uid = "u1", Generation = 3 },
            Spec = new ServiceSpec
            {
                Template = new RevisionTemplateSpec { Spec = new RevisionSpec() },
                Traffic = traffic ?? [new TrafficTarget { LatestRevision = true, Percent = 100 }],
            },
        },
        ConfigurationGeneration = revisions.Length,
        Revisions = [.. revisions],
        LastGoodTargets = lastGood ?? [],
    };

    private static RouteTarget Target(string revision, int percent) => new() { RevisionName = revision, Percent = percent };

    public static TheoryData<string, ServiceState, Want> Cases => new()
    {
        {
            "no revision yet",
            State([]),
            new(
                new("ConfigurationsReady", "Unknown"), new("RoutesReady", "Unknown", "RevisionMissing", Waiting), new("Ready", "Unknown"),
                null, null, null, [], null)
        },
        {
            "the first revision is deploying: requests wait for it",
            State([Rev(R1, "Unknown")]),
            new(
                new("ConfigurationsReady", "Unknown"), new("RoutesReady", "Unknown", "RevisionMissing", Waiting), new("Ready", "Unknown"),
                R1, null, R1, [], null)
        },
        {
            "the latest created revision is ready",
            State([Rev(R1, "True")]),
            new(
                new("ConfigurationsReady", "True"), new("RoutesReady", "True"), new("Ready", "True"),
                R1, R1, null, [Target(R1, 100)], [new(null, R1, true, 100)])
        },
        {
            "a new revision is deploying while the previous one serves",
            State([Rev(R1, "True"), Rev(R2, "Unknown")]),
            new(
                new("ConfigurationsReady", "Unknown"), new("RoutesReady", "True"), new("Ready", "Unknown"),
                R2, R1, null, [Target(R1, 100)], [new(null, R1, true, 100)])
        },
        {
            "the latest created revision failed; the latest ready one keeps serving",
            State([Rev(R1, "True"), Rev(R2, "False", Crash)]),
            new(
                new("ConfigurationsReady", "False", "RevisionFailed", $"Revision \"{R2}\" failed with message: {Crash}."),
                new("RoutesReady", "True"),
                new("Ready", "False", "RevisionFailed", $"Revision \"{R2}\" failed with message: {Crash}."),
                R2, R1, null, [Target(R1, 100)], [new(null, R1, true, 100)])
        },
        {
            "the only revision failed: nothing is routable",
            State([Rev(R1, "False", Crash)]),
            new(
                new("ConfigurationsReady", "False", "RevisionFailed", $"Revision \"{R1}\" failed with message: {Crash}."),
                new("RoutesReady", "False", "RevisionMissing", NoReady),
                new("Ready", "False", "RevisionFailed", $"Revision \"{R1}\" failed with message: {Crash}."),
                R1, null, R1, [], null)
        },
        {
            "False wins over Unknown: a missing revision in traffic while a new revision deploys",
            State(
                [Rev(R1, "True"), Rev(R2, "Unknown")],
                [new TrafficTarget { RevisionName = "svc-00009", LatestRevision = false, Percent = 100 }],
                [Target(R1, 100)]),
            new(
                new("ConfigurationsReady", "Unknown"),
                new("RoutesReady", "False", "RevisionMissing", "Revision \"svc-00009\" referenced in traffic not found."),
                new("Ready", "False", "RevisionMissing", "Revision \"svc-00009\" referenced in traffic not found."),
                R2, R1, null, [Target(R1, 100)], null)
        },
        {
            "a split between two ready revisions",
            State(
                [Rev(R1, "True"), Rev(R2, "True")],
                [
                    new TrafficTarget { RevisionName = R1, LatestRevision = false, Percent = 10 },
                    new TrafficTarget { LatestRevision = true, Percent = 90 },
                ]),
            new(
                new("ConfigurationsReady", "True"), new("RoutesReady", "True"), new("Ready", "True"),
                R2, R2, null, [Target(R1, 10), Target(R2, 90)], [new(null, R1, false, 10), new(null, R2, true, 90)])
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Builds_service_and_route_status(string scenario, ServiceState state, Want want)
    {
        var observation = ServiceStatusBuilder.Build(state, "example.com", T0);

        var status = observation.Status;
        Assert.True(
            new[] { want.ConfigurationsReady, want.Ready, want.RoutesReady }.SequenceEqual(status.Conditions!.Select(Project)),
            $"{scenario}: {string.Join("; ", status.Conditions!)}");
        Assert.Equal(
            (3L, "http://svc.default.example.com", "http://svc.default.svc.cluster.local"),
            (status.ObservedGeneration, status.Url, status.Address!.Url));
        Assert.Equal((want.LatestCreated, want.LatestReady), (status.LatestCreatedRevisionName, status.LatestReadyRevisionName));
        Assert.Equal(want.Traffic, status.Traffic?.Select(t => new Entry(t.Tag, t.RevisionName!, t.LatestRevision, t.Percent)).ToArray());
        Assert.Equal(want.Targets, observation.Targets);
        Assert.Equal(want.Pending, observation.PendingRevision);

        // The Route mirrors RoutesReady in AllTrafficAssigned; ingress and certificate are always fine here.
        var assigned = want.RoutesReady with { Type = "AllTrafficAssigned" };
        Assert.Equal(
            [
                assigned,
                new Cond("CertificateProvisioned", "True", "TLSNotEnabled", "autoTLS is not enabled"),
                new Cond("IngressReady", "True"),
                assigned.Status == "True" ? new Cond("Ready", "True") : assigned with { Type = "Ready" },
            ],
            observation.RouteConditions.Select(Project));
        Assert.All(status.Conditions!.Concat(observation.RouteConditions), c => Assert.Equal("2026-01-02T03:04:05Z", c.LastTransitionTime));
    }

    private static Cond Project(Condition c) => new(c.Type, c.Status, c.Reason, c.Message);

    /// <summary>Seconds after T0, what changed, and the expected transition second of each condition.</summary>
    private sealed record Step(int At, Action<ServiceState> Change, Dictionary<string, int> Service, Dictionary<string, int> Route);

    [Fact]
    public void Transition_times_move_only_with_the_status()
    {
        var state = State([Rev(R1, "Unknown")]);
        Step[] timeline =
        [
            new(0, _ => { }, Times(cfg: 0, routes: 0, ready: 0), Times(assigned: 0, cert: 0, ingress: 0, ready: 0)),
            new(10, s => s.Revisions[0] = Rev(R1, "True"), Times(cfg: 10, routes: 10, ready: 10), Times(assigned: 10, cert: 0, ingress: 0, ready: 10)),
            new(20, _ => { }, Times(cfg: 10, routes: 10, ready: 10), Times(assigned: 10, cert: 0, ingress: 0, ready: 10)),
            new(30, s => s.Revisions.Add(Rev(R2, "Unknown")), Times(cfg: 30, routes: 10, ready: 30), Times(assigned: 10, cert: 0, ingress: 0, ready: 10)),
            new(40, s => s.Revisions[1] = Rev(R2, "True"), Times(cfg: 40, routes: 10, ready: 40), Times(assigned: 10, cert: 0, ingress: 0, ready: 10)),
        ];

        foreach (var step in timeline)
        {
            step.Change(state);
            var observation = ServiceStatusBuilder.Build(state, "example.com", T0.AddSeconds(step.At));
            state.Status = observation.Status;
            state.RouteConditions = observation.RouteConditions;
            state.LastGoodTargets = observation.Targets;

            Assert.Equal(step.Service, Seconds(observation.Status.Conditions!));
            Assert.Equal(step.Route, Seconds(observation.RouteConditions));
        }

        Assert.Equal([Target(R2, 100)], state.LastGoodTargets);
    }

    [Fact]
    public void Unresolvable_traffic_keeps_the_last_good_targets_and_status_traffic()
    {
        var state = State([Rev(R1, "True"), Rev(R2, "Unknown")]);
        var first = ServiceStatusBuilder.Build(state, "example.com", T0);
        state.Status = first.Status;
        state.RouteConditions = first.RouteConditions;
        state.LastGoodTargets = first.Targets;

        // Pin the traffic to the revision that is still deploying.
        state.Service = state.Service! with
        {
            Spec = state.Service.Spec! with { Traffic = [new TrafficTarget { RevisionName = R2, LatestRevision = false, Percent = 100 }] },
        };
        var second = ServiceStatusBuilder.Build(state, "example.com", T0.AddSeconds(5));

        Assert.Equal(
            new Cond("RoutesReady", "Unknown", "RevisionMissing", $"Revision \"{R2}\" is not yet ready."),
            Project(ConditionSet.Get(second.Status.Conditions, "RoutesReady")!));
        Assert.Equal([Target(R1, 100)], second.Targets);
        Assert.Same(first.Status.Traffic, second.Status.Traffic);
        Assert.Null(second.PendingRevision);
    }

    private static Dictionary<string, int> Times(int cfg, int routes, int ready) =>
        new() { ["ConfigurationsReady"] = cfg, ["Ready"] = ready, ["RoutesReady"] = routes };

    private static Dictionary<string, int> Times(int assigned, int cert, int ingress, int ready) =>
        new() { ["AllTrafficAssigned"] = assigned, ["CertificateProvisioned"] = cert, ["IngressReady"] = ingress, ["Ready"] = ready };

    private static Dictionary<string, int> Seconds(IEnumerable<Condition> conditions) => conditions.ToDictionary(
        c => c.Type,
        c => (int)(DateTimeOffset.Parse(c.LastTransitionTime!, CultureInfo.InvariantCulture) - T0).TotalSeconds);
}
