#ifndef TB_FSM_H
#define TB_FSM_H
#endif
