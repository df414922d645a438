namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>Infix operators. <c>!=</c> and <c>&lt;&gt;</c> both parse to <see cref="NotEqual"/>.</summary>
public enum CesqlBinaryOperator
{
    And,
    Or,
    Xor,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}
