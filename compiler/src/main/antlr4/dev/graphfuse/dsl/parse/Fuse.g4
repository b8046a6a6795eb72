// The .fuse pattern language: op signatures, native predicate declarations, reusable
// sub-patterns (def) and patterns (captures, then one replace). Parse trees never leave
// dev.graphfuse.dsl.parse: AstBuilder turns them into immutable records with source locations.
grammar Fuse;

file: decl* EOF;

decl
    : importDecl
    | opDecl
    | predicateDecl
    | defDecl
    | patternDecl
    ;

importDecl: IMPORT STRING ';';

// op Split(input, split?) -> (outputs...) {axis: int = 0, num_outputs: int?};
opDecl: OP opName '(' inputs=portList? ')' ('->' '(' outputs=portList ')')? COMMUTATIVE? attrSchema? ';';
opName: IDENT ('.' IDENT)*;
portList: port (',' port)*;
// X: T: a type variable; ports with the same one share an element type (outputs take theirs from an input)
port: name=IDENT (':' type=IDENT)? (optional='?' | variadic='...')?;
attrSchema: '{' (attrDecl (',' attrDecl)*)? '}';
attrDecl: name=IDENT ':' kind=IDENT (optional='?' | '=' attrDefault)?;
attrDefault: constant | STRING;

predicateDecl: PREDICATE IDENT '(' identList? ')' ';';
identList: IDENT (',' IDENT)*;

defDecl: DEF IDENT '(' identList? ')' '{' letStmt* RETURN expr ';' '}';

patternDecl: PATTERN IDENT (BENEFIT '(' INT ')')? '{' statement* replaceStmt '}';
statement: letStmt | requireStmt;
letStmt: LET bindTargets '=' expr ';';
bindTargets: IDENT | '(' bindTarget (',' bindTarget)* ')';
bindTarget: IDENT | '_';
requireStmt: REQUIRE predicateCall ('&&' predicateCall)* ';';
predicateCall: negated='!'? IDENT '(' (attrExpr (',' attrExpr)*)? ')';
replaceStmt: REPLACE bindTargets WITH opName '(' (replaceArg (',' replaceArg)*)? ')' replaceAttrs? ';';
replaceArg: IDENT | '_';
replaceAttrs: '{' (replaceAttr (',' replaceAttr)*)? '}';
replaceAttr: IDENT '=' attrExpr;

// Attribute values computed from captures at rewrite time.
attrExpr
    : '(' attrExpr ')'                                  #attrParen
    | '-' attrExpr                                      #attrNeg
    | attrExpr op=('*' | '/' | '%') attrExpr            #attrMul
    | attrExpr op=('+' | '-') attrExpr                  #attrAdd
    | IDENT '(' (attrExpr (',' attrExpr)*)? ')'         #attrCall
    | '[' (attrExpr (',' attrExpr)*)? ']'               #attrList
    | number                                            #attrNumber
    | STRING                                            #attrString
    | IDENT                                             #attrRef
    ;

// Value patterns.
expr: term ('|' term)*;
term: SHARED? primary;
primary
    : opName optional='?'? '(' (arg (',' arg)*)? ')' attrMatch?   #call
    | IDENT (':' constraint)?                                      #capture
    | '_' (':' constraint)?                                        #wildcard
    | constant ('~' number)?                                       #literal
    | '(' expr ')'                                                 #paren
    ;
arg: expr | rest='...';
attrMatch: '{' attrItem (',' attrItem)* '}';
attrItem: IDENT '=' attrPattern;
attrPattern
    : constant ('~' number)?   #attrIsConstant
    | STRING                   #attrIsString
    | '_'                      #attrAny
    | IDENT                    #attrCapture
    ;
constraint: kind=(TENSOR | CONST | SCALAR) ('<' IDENT ('|' IDENT)* '>')? (shape='[' dimList? ']')?;
dimList: dim (',' dim)*;
dim: INT | IDENT | '_' | rest='...';

constant: signed | '[' (signed (',' signed)*)? ']';
signed: '-'? number;
number: INT | FLOAT;

IMPORT: 'import';
OP: 'op';
PREDICATE: 'predicate';
DEF: 'def';
RETURN: 'return';
PATTERN: 'pattern';
BENEFIT: 'benefit';
LET: 'let';
REQUIRE: 'require';
REPLACE: 'replace';
WITH: 'with';
SHARED: 'shared';
COMMUTATIVE: 'commutative';
TENSOR: 'Tensor';
CONST: 'Const';
SCALAR: 'Scalar';

IDENT: [A-Za-z_] [A-Za-z0-9_]*;
INT: DIGIT+;
FLOAT: DIGIT+ '.' DIGIT* EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT;
STRING: '"' (~["\\\r\n] | '\\' ~[\r\n])* '"';
DOC: '///' ~[\r\n]* -> channel(2);
LINE_COMMENT: '//' ~[\r\n]* -> skip;
BLOCK_COMMENT: '/*' .*? '*/' -> skip;
WS: [ \t\r\n]+ -> skip;
UNKNOWN: .;

fragment DIGIT: [0-9];
fragment EXPONENT: [eE] [+-]? DIGIT+;
