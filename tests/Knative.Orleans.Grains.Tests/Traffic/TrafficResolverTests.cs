using Knative.Orleans.Contracts.Conditions;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Traffic;

namespace Knative.Orleans.Grains.Tests.Traffic;

/// <summary>
/// TrafficResolver against knative/serving pkg/reconciler/route/traffic (traffic.go, errors.go) and route_lifecycle.go's
/// RevisionMissing messages; status.traffic as KNATIVE-NOTES 1.5 describes it.
/// </summary>
public sealed class TrafficResolverTests
{
    private const string R1 = "svc-00001";
    private const string R2 = "svc-00002";
    private const string R3 = "svc-00003";
    private const string Missing = "svc-00009";
    private const string True = ConditionStatus.True;
    private const string False = ConditionStatus.False;
    private const string Unknown = ConditionStatus.Unknown;

    /// <summary>One expected status.traffic entry.</summary>
    public sealed record Entry(string? Tag, string Revision, bool? Latest, long? Percent, string? Url = null);

    /// <summary>One expected routing target.</summary>
    public sealed record Target(string Revision, int Percent, string? Tag = null);

    /// <summary>The expected resolution.</summary>
    public sealed record Want(string Status, string? Reason = null, string? Message = null, Entry[]? Traffic = null, Target[]? Targets = null);

    private static TrafficTarget Latest(long? percent, string? tag = null) => new() { LatestRevision = true, Percent = percent, Tag = tag };

    private static TrafficTarget Fixed(string revision, long? percent, string? tag = null) =>
        new() { RevisionName = revision, LatestRevision = false, Percent = percent, Tag = tag };

    private static RevisionFact[] Revs(params (string Name, string Ready)[] revisions) =>
        revisions.Select(r => new RevisionFact(r.Name, r.Ready)).ToArray();

    private static Want Waiting => new(Unknown, "RevisionMissing", "Configuration \"svc\" is waiting for a Revision to become ready.");

    public static TheoryData<string, TrafficTarget[], RevisionFact[], string?, string?, Want> Cases => new()
    {
        {
            "default traffic: 100% to the latest ready revision",
            [Latest(100)], Revs((R1, True)), R1, R1,
            new(True, Traffic: [new(null, R1, true, 100)], Targets: [new(R1, 100)])
        },
        {
            "latestRevision follows the latest READY revision, not the latest created",
            [Latest(100)], Revs((R1, True), (R2, Unknown)), R1, R2,
            new(True, Traffic: [new(null, R1, true, 100)], Targets: [new(R1, 100)])
        },
        {
            "latestRevision keeps the last ready revision when the newest failed",
            [Latest(100)], Revs((R1, True), (R2, False)), R1, R2,
            new(True, Traffic: [new(null, R1, true, 100)], Targets: [new(R1, 100)])
        },
        {
            "a fixed revisionName stays on that revision",
            [Fixed(R1, 100)], Revs((R1, True), (R2, True)), R2, R2,
            new(True, Traffic: [new(null, R1, false, 100)], Targets: [new(R1, 100)])
        },
        {
            "latestRevision unset: latest when there is no revisionName",
            [new TrafficTarget { Percent = 100 }], Revs((R1, True)), R1, R1,
            new(True, Traffic: [new(null, R1, true, 100)], Targets: [new(R1, 100)])
        },
        {
            "latestRevision unset: fixed when there is a revisionName",
            [new TrafficTarget { RevisionName = R1, Percent = 100 }], Revs((R1, True), (R2, True)), R2, R2,
            new(True, Traffic: [new(null, R1, false, 100)], Targets: [new(R1, 100)])
        },
        {
            "a split between a fixed and the latest revision",
            [Fixed(R1, 30), Latest(70)], Revs((R1, True), (R2, True)), R2, R2,
            new(True, Traffic: [new(null, R1, false, 30), new(null, R2, true, 70)], Targets: [new(R1, 30), new(R2, 70)])
        },
        {
            "tags get their URL; a tag-only entry has percent 0 (KNATIVE-NOTES 1.5 example)",
            [Fixed(R1, 100, "current"), Latest(null, "latest")], Revs((R1, True), (R2, True)), R2, R2,
            new(
                True,
                Traffic:
                [
                    new("current", R1, false, 100, "http://current-svc.default.example.com"),
                    new("latest", R2, true, 0, "http://latest-svc.default.example.com"),
                ],
                Targets: [new(R1, 100, "current"), new(R2, 0, "latest")])
        },
        {
            "status keeps one entry per spec entry; targets are merged per revision",
            [Fixed(R1, 50), Latest(50)], Revs((R1, True)), R1, R1,
            new(True, Traffic: [new(null, R1, false, 50), new(null, R1, true, 50)], Targets: [new(R1, 100)])
        },
        {
            "merged targets keep the order of first appearance",
            [Fixed(R2, 40), Fixed(R1, 20), Fixed(R2, 40)], Revs((R1, True), (R2, True)), R2, R2,
            new(
                True,
                Traffic: [new(null, R2, false, 40), new(null, R1, false, 20), new(null, R2, false, 40)],
                Targets: [new(R2, 80), new(R1, 20)])
        },
        {
            "a tagged entry stays apart from the untagged share of the same revision",
            [Fixed(R1, 100), Fixed(R1, null, "pinned")], Revs((R1, True)), R1, R1,
            new(
                True,
                Traffic: [new(null, R1, false, 100), new("pinned", R1, false, 0, "http://pinned-svc.default.example.com")],
                Targets: [new(R1, 100), new(R1, 0, "pinned")])
        },
        { "no revision yet", [Latest(100)], Revs(), null, null, Waiting },
        { "the only revision is still deploying", [Latest(100)], Revs((R1, Unknown)), null, R1, Waiting },
        {
            "the only revision failed",
            [Latest(100)], Revs((R1, False)), null, R1,
            new(False, "RevisionMissing", "Configuration \"svc\" does not have any ready Revision.")
        },
        {
            "an earlier revision failed, the newest is deploying",
            [Latest(100)], Revs((R1, False), (R2, Unknown)), null, R2, Waiting
        },
        {
            "a revisionName that does not exist",
            [Fixed(Missing, 100)], Revs((R1, True)), R1, R1,
            new(False, "RevisionMissing", $"Revision \"{Missing}\" referenced in traffic not found.")
        },
        {
            "a revisionName that is not ready yet",
            [Fixed(R2, 100)], Revs((R1, True), (R2, Unknown)), R1, R2,
            new(Unknown, "RevisionMissing", $"Revision \"{R2}\" is not yet ready.")
        },
        {
            "a revisionName that failed",
            [Fixed(R2, 100)], Revs((R1, True), (R2, False)), R1, R2,
            new(False, "RevisionMissing", $"Revision \"{R2}\" failed to become ready.")
        },
        {
            "one bad target fails the whole route, even a tag-only one",
            [Latest(100), Fixed(Missing, null, "old")], Revs((R1, True)), R1, R1,
            new(False, "RevisionMissing", $"Revision \"{Missing}\" referenced in traffic not found.")
        },
        {
            "a failure after a not-ready target wins (knative deferTargetError)",
            [Fixed(R2, 50), Fixed(Missing, 50)], Revs((R1, True), (R2, Unknown)), R1, R2,
            new(False, "RevisionMissing", $"Revision \"{Missing}\" referenced in traffic not found.")
        },
        {
            "a not-ready target after a failure does not replace it",
            [Fixed(R3, 50), Fixed(R2, 50)], Revs((R1, True), (R2, Unknown), (R3, False)), R1, R3,
            new(False, "RevisionMissing", $"Revision \"{R3}\" failed to become ready.")
        },
        {
            "among not-ready targets the first is reported",
            [Fixed(R2, 50), Latest(50)], Revs((R2, Unknown)), null, R2,
            new(Unknown, "RevisionMissing", $"Revision \"{R2}\" is not yet ready.")
        },
        {
            "among failures the last is reported",
            [Fixed(Missing, 50), Fixed(R3, 50)], Revs((R1, True), (R3, False)), R1, R3,
            new(False, "RevisionMissing", $"Revision \"{R3}\" failed to become ready.")
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Resolves(string scenario, TrafficTarget[] traffic, RevisionFact[] revisions, string? latestReady, string? latestCreated, Want want)
    {
        var result = TrafficResolver.Resolve("svc", "default", "example.com", "svc", traffic, revisions, latestReady, latestCreated);

        Assert.True(want.Status == result.Status, $"{scenario}: status {result.Status}");
        Assert.Equal(want.Status == True, result.AllAssigned);
        Assert.Equal(want.Reason, result.Reason);
        Assert.Equal(want.Message, result.Message);
        Assert.Equal(
            want.Traffic,
            result.StatusTraffic?.Select(t => new Entry(t.Tag, t.RevisionName!, t.LatestRevision, t.Percent, t.Url)).ToArray());
        Assert.Equal(want.Targets, result.Targets?.Select(t => new Target(t.RevisionName, t.Percent, t.Tag)).ToArray());
        Assert.All(result.StatusTraffic ?? [], t => Assert.Null(t.ConfigurationName));
    }

    [Fact]
    public void Does_not_change_the_spec_targets()
    {
        TrafficTarget[] traffic = [Latest(100, "latest")];

        TrafficResolver.Resolve("svc", "default", "example.com", "svc", traffic, Revs((R1, True)), R1, R1);

        Assert.Equal(Latest(100, "latest"), traffic[0]);
    }
}
