using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Tests.Traffic;

/// <summary>
/// TrafficResolver for a standalone Route: targets name configurations (latest ready revision) or revisions
/// (knative/serving pkg/reconciler/route/traffic/traffic.go, errors.go: ConfigurationMissing, RevisionMissing).
/// </summary>
public sealed class RouteTrafficResolverTests
{
    private const string True = ConditionStatus.True;
    private const string False = ConditionStatus.False;
    private const string Unknown = ConditionStatus.Unknown;

    public sealed record Want(string Status, string? Reason, string? Message, (string Revision, int Percent, string? Tag)[]? Targets);

    private static TrafficTarget Config(string name, long percent, string? tag = null) =>
        new() { ConfigurationName = name, LatestRevision = true, Percent = percent, Tag = tag };

    private static TrafficTarget Rev(string name, long percent, string? tag = null) =>
        new() { RevisionName = name, LatestRevision = false, Percent = percent, Tag = tag };

    private static readonly Dictionary<string, ConfigurationFact> Both = new(StringComparer.Ordinal)
    {
        ["blue"] = new ConfigurationFact("blue-00002", false),
        ["green"] = new ConfigurationFact("green-00001", false),
    };

    private static readonly RevisionFact[] Revisions = [new("blue-00001", True), new("blue-00002", True), new("green-00001", True), new("green-00002", Unknown), new("bad-00001", False)];

    public static TheoryData<string, TrafficTarget[], Dictionary<string, ConfigurationFact>, Want> Cases => new()
    {
        {
            "split between two configurations", [Config("blue", 60, "b"), Config("green", 40, "g")], Both,
            new Want(True, null, null, [("blue-00002", 60, "b"), ("green-00001", 40, "g")])
        },
        {
            "configuration and a pinned revision of it", [Config("blue", 50), Rev("blue-00001", 50)], Both,
            new Want(True, null, null, [("blue-00002", 50, null), ("blue-00001", 50, null)])
        },
        {
            "same revision twice sums", [Config("blue", 50), Rev("blue-00002", 50)], Both,
            new Want(True, null, null, [("blue-00002", 100, null)])
        },
        {
            "missing configuration", [Config("blue", 50), Config("red", 50)], Both,
            new Want(False, "ConfigurationMissing", "Configuration \"red\" referenced in traffic not found.", null)
        },
        {
            "configuration without a ready revision yet",
            [Config("new", 100)], new Dictionary<string, ConfigurationFact>(StringComparer.Ordinal) { ["new"] = new(null, false) },
            new Want(Unknown, "RevisionMissing", "Configuration \"new\" is waiting for a Revision to become ready.", null)
        },
        {
            "configuration whose only revision failed",
            [Config("new", 100)], new Dictionary<string, ConfigurationFact>(StringComparer.Ordinal) { ["new"] = new(null, true) },
            new Want(False, "RevisionMissing", "Configuration \"new\" does not have any ready Revision.", null)
        },
        {
            "pinned revision not ready", [Rev("green-00002", 100)], Both,
            new Want(Unknown, "RevisionMissing", "Revision \"green-00002\" is not yet ready.", null)
        },
        {
            "a failure wins over an earlier wait", [Rev("green-00002", 50), Rev("bad-00001", 50)], Both,
            new Want(False, "RevisionMissing", "Revision \"bad-00001\" failed to become ready.", null)
        },
        {
            "missing revision", [Rev("nope-00001", 100)], Both,
            new Want(False, "RevisionMissing", "Revision \"nope-00001\" referenced in traffic not found.", null)
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves(string name, TrafficTarget[] traffic, Dictionary<string, ConfigurationFact> configurations, Want want)
    {
        var result = TrafficResolver.Resolve("r", "ns", "example.com", traffic, Revisions, configurations, implicitConfiguration: null);

        Assert.True(want.Status == result.Status, name);
        Assert.Equal(want.Reason, result.Reason);
        Assert.Equal(want.Message, result.Message);
        Assert.Equal(want.Targets, result.Targets?.Select(t => (t.RevisionName, t.Percent, t.Tag)).ToArray());
    }

    [Fact]
    public void Status_traffic_drops_configuration_names_and_keeps_latest_revision()
    {
        var result = TrafficResolver.Resolve("r", "ns", "example.com", [Config("blue", 100, "cur"), Config("green", 0, "next")], Revisions, Both, null);

        Assert.Collection(result.StatusTraffic!,
            t =>
            {
                Assert.Equal(("cur", "blue-00002", true, 100L, "http://cur-r.ns.example.com"), (t.Tag, t.RevisionName, t.LatestRevision, t.Percent, t.Url));
                Assert.Null(t.ConfigurationName);
            },
            t => Assert.Equal(("next", "green-00001", 0L, "http://next-r.ns.example.com"), (t.Tag, t.RevisionName, t.Percent, t.Url)));
    }
}
