namespace Knative.Orleans.Contracts.Serving;

/// <summary>How an apply treats an existing object.</summary>
public enum ApplyMode
{
    /// <summary>POST: fail with <see cref="ApplyOutcome.AlreadyExists"/> when the object exists.</summary>
    Create = 0,

    /// <summary>PUT: create or replace.</summary>
    Replace = 1,
}

/// <summary>Outcome of an apply.</summary>
public enum ApplyOutcome
{
    /// <summary>A new object was stored.</summary>
    Created = 0,

    /// <summary>An existing object was replaced.</summary>
    Updated = 1,

    /// <summary>The spec is invalid; <see cref="ApplyResult{T}.Message"/> holds <c>validation failed: ...</c>. Nothing was stored.</summary>
    Invalid = 2,

    /// <summary>Create of an object that exists. Nothing was stored.</summary>
    AlreadyExists = 3,

    /// <summary>The object does not exist.</summary>
    NotFound = 4,

    /// <summary>The object exists but belongs to another one (a Service's Configuration or Route). Nothing was stored.</summary>
    Conflict = 5,
}

/// <summary>The result of applying a manifest to a grain.</summary>
[GenerateSerializer, Alias("kn.ApplyResult`1")]
public sealed record ApplyResult<T>
{
    /// <summary>What happened.</summary>
    [Id(0)] public ApplyOutcome Outcome { get; init; }

    /// <summary>The stored object (with status) on success.</summary>
    [Id(1)] public T? Value { get; init; }

    /// <summary>Error message when refused.</summary>
    [Id(2)] public string? Message { get; init; }

    /// <summary>True for <see cref="ApplyOutcome.Created"/> and <see cref="ApplyOutcome.Updated"/>.</summary>
    public bool Succeeded => Outcome is ApplyOutcome.Created or ApplyOutcome.Updated;
}
